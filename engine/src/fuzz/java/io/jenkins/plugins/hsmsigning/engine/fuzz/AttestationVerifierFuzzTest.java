package io.jenkins.plugins.hsmsigning.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationVerifier;
import io.jenkins.plugins.hsmsigning.engine.attest.Attestations;
import io.jenkins.plugins.hsmsigning.engine.attest.BuildFacts;
import io.jenkins.plugins.hsmsigning.engine.attest.ProvenanceExpectations;
import io.jenkins.plugins.hsmsigning.engine.attest.SigstoreBundle;
import io.jenkins.plugins.hsmsigning.engine.attest.Subject;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link AttestationVerifier} on arbitrary bytes, or on a real provenance bundle (signed once by the test token)
 * mutated by the fuzzer, with its chain file and subject beside it. The verifier must return an entry, never throw;
 * a FAILED entry is one sentence naming the bundle; a VERIFIED one carries exactly the signed payload and signature.
 */
class AttestationVerifierFuzzTest {

    private static byte[] bundle;
    private static byte[] chain;
    private static SigstoreBundle original;
    private static final byte[] ARTIFACT = "an artifact to attest\n".getBytes(StandardCharsets.UTF_8);
    private static AttestationVerifier verifier;

    private static synchronized void prepare() throws Exception {
        if (verifier != null) {
            return;
        }
        Path dir = FuzzSupport.freshDirectory();
        Files.write(dir.resolve("app.bin"), ARTIFACT);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ARTIFACT));
        Attestations.attest(FuzzSupport.key(), dir, List.of(new Subject("app.bin", sha256)),
                BuildFacts.builder("https://ci.example.org/job/app/").build(), AttestationFiles.PROVENANCE, List.of());
        bundle = Files.readAllBytes(dir.resolve(AttestationFiles.PROVENANCE));
        chain = Files.readAllBytes(dir.resolve(AttestationFiles.chainFor(AttestationFiles.PROVENANCE)));
        original = SigstoreBundle.parse(bundle);
        verifier = new AttestationVerifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())),
                List.of(), List.of(), new ProvenanceExpectations(null, null, "main"));
    }

    @FuzzTest
    void verify(FuzzedDataProvider data) throws Exception {
        prepare();
        byte[] content = data.consumeBoolean() ? FuzzSupport.mutate(bundle, data) : data.consumeRemainingAsBytes();
        FuzzSupport.dump(AttestationFiles.PROVENANCE, content);
        Path dir = FuzzSupport.freshDirectory();
        try {
            Path file = Files.write(dir.resolve(AttestationFiles.PROVENANCE), content);
            Files.write(dir.resolve(AttestationFiles.chainFor(AttestationFiles.PROVENANCE)), chain);
            Files.write(dir.resolve("app.bin"), ARTIFACT);
            ReportEntry entry = verifier.verify(file, AttestationFiles.PROVENANCE, dir);
            FuzzSupport.checkEntry(entry, AttestationFiles.PROVENANCE);
            if (entry.status() == Status.VERIFIED) {
                SigstoreBundle parsed = SigstoreBundle.parse(content);
                if (!Arrays.equals(parsed.payload(), original.payload())
                        || !Arrays.equals(parsed.signature(), original.signature())) {
                    throw new IllegalStateException("a changed bundle verified");
                }
            }
        } finally {
            FuzzSupport.deleteTree(dir);
        }
    }
}
