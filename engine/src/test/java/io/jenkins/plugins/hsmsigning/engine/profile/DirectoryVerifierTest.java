package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DirectoryVerifierTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final DevKey key = DevKey.create("directory verifier");

    @Test
    public void everySignatureOfEverySelectedFileIsVerified() throws Exception {
        Path dir = tmp.newFolder("ws").toPath();
        Path a = Artifacts.random(dir, "dist/a.bin", 3000);
        Path b = Artifacts.random(dir, "dist/b.bin", 3000);
        sign(List.of(a, b), Set.of(Format.CMS, Format.PGP));
        Artifacts.random(dir, "dist/unsigned.bin", 100);

        List<String> progress = new ArrayList<>();
        List<ReportEntry> entries = DirectoryVerifier.verify(dir,
                List.of("dist/b.bin", "dist/a.bin", "dist/a.bin.p7s", "dist/a.bin.asc", "dist/unsigned.bin"),
                trust().options(), one -> progress.add(one.get(0).path()));
        assertEquals(List.of("dist/a.bin", "dist/b.bin", "dist/unsigned.bin"), progress);
        assertEquals(5, entries.size());
        for (ReportEntry e : entries.subList(0, 4)) {
            assertEquals(e.path() + " " + e.format() + ": " + e.reason(), Status.VERIFIED, e.status());
            assertEquals(ReportEntry.VERIFY, e.operation());
        }
        assertEquals(Failure.NO_SIGNATURE, entries.get(4).failure());
        assertEquals(3, DirectoryVerifier.artifactCount(entries));
    }

    @Test
    public void aTamperedFileFails() throws Exception {
        Path dir = tmp.newFolder("tampered").toPath();
        Path a = Artifacts.random(dir, "a.bin", 3000);
        sign(List.of(a), Set.of(Format.CMS));
        Artifacts.flipByte(a, 10);
        List<ReportEntry> entries = DirectoryVerifier.verify(dir, List.of("a.bin"), trust());
        assertEquals(1, entries.size());
        assertEquals(Status.FAILED, entries.get(0).status());
        assertEquals(Failure.CONTENT_MODIFIED, entries.get(0).failure());
    }

    @Test
    public void anotherCaIsNotTrusted() throws Exception {
        Path dir = tmp.newFolder("untrusted").toPath();
        Path a = Artifacts.random(dir, "a.bin", 300);
        sign(List.of(a), Set.of(Format.CMS));
        TrustSettings other = new TrustSettings(TestPki.toPem(TestPki.create("Other CA").caCertificate()), null, null);
        assertEquals(Failure.UNTRUSTED, DirectoryVerifier.verify(dir, List.of("a.bin"), other).get(0).failure());
    }

    @Test
    public void aLinkOutOfTheDirectoryIsAFailureNotARead() throws Exception {
        Path dir = tmp.newFolder("links").toPath();
        Path outside = Artifacts.random(tmp.getRoot().toPath(), "secret.bin", 100);
        try {
            Files.createSymbolicLink(dir.resolve("link.bin"), outside);
        } catch (UnsupportedOperationException | java.io.IOException e) {
            Assume.assumeNoException("symbolic links are not available here", e);
        }
        List<ReportEntry> entries = DirectoryVerifier.verify(dir, List.of("link.bin", "../secret.bin"), trust());
        assertEquals(2, entries.size());
        for (ReportEntry e : entries) {
            assertEquals(Status.FAILED, e.status());
            assertEquals(Failure.INPUT_ERROR, e.failure());
            assertThat(e.reason(), containsString("leads outside"));
        }
    }

    private TrustSettings trust() {
        return new TrustSettings(TestPki.toPem(TestPki.shared().caCertificate()), TestPki.toPem(key.certificate),
                null);
    }

    private void sign(List<Path> files, Set<Format> formats) throws Exception {
        try (SigningKey k = key.open()) {
            ArtifactSigner signer = new ArtifactSigner(k, SigningOptions.defaults().formats(formats));
            for (Path f : files) {
                for (ReportEntry e : signer.sign(f, f.getFileName().toString())) {
                    assertEquals(e.reason(), Status.SIGNED, e.status());
                }
            }
        }
    }
}
