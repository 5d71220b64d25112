package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ConcurrentSigningTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void sixteenSignersShareOneTokenUnderACapOfFour() throws Exception {
        Pkcs11KeySource source = TestKeys.source(SoftHsmToken.RSA3072).maxConcurrentOperations(4);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<List<ReportEntry>>> jobs = new ArrayList<>();
        List<Path> artifacts = new ArrayList<>();
        for (int job = 0; job < 16; job++) {
            List<ArtifactSigner.Artifact> mine = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Path file = Artifacts.random(tmp.getRoot().toPath(), "job" + job + "/a" + i + ".bin", 20_000);
                artifacts.add(file);
                mine.add(new ArtifactSigner.Artifact(file, file.toString()));
            }
            jobs.add(pool.submit(() -> {
                try (Secret pin = Secret.of(SoftHsmToken.shared().pin()); SigningKey key = source.open(pin)) {
                    return new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.CMS, Format.PGP)))
                            .signAll(mine, 2);
                }
            }));
        }
        int signed = 0;
        for (Future<List<ReportEntry>> job : jobs) {
            for (ReportEntry entry : job.get()) {
                assertEquals(entry.reason(), Status.SIGNED, entry.status());
                signed++;
            }
        }
        pool.shutdown();
        assertEquals(16 * 4 * 2, signed);
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            int peak = ((TokenSigningKey) key).token().limiter().peak();
            assertTrue("peak " + peak, peak <= 4);
        }
        Verifier verifier = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())));
        for (Path file : artifacts) {
            for (ReportEntry entry : verifier.verify(file, file.toString())) {
                if (entry.format().equals("cms")) {
                    assertEquals(entry.reason(), Status.VERIFIED, entry.status());
                }
            }
        }
    }
}
