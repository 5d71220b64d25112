package io.jenkins.plugins.hsmsigning.engine.prehash;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PrehashTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final SigningOptions CMS = SigningOptions.defaults().formats(Set.of(Format.CMS));

    @Test
    public void aBatchHashedWhileTheKeyOpensIsSignedAndOpensslAcceptsEverySignature() throws Exception {
        ExternalTool.require("openssl");
        Path dir = tmp.getRoot().toPath();
        List<Artifact> artifacts = new ArrayList<>();
        artifacts.add(new Artifact(Artifacts.random(dir, "large.bin", 3 * 1024 * 1024 + 5), "large.bin"));
        for (int i = 0; i < 20; i++) {
            artifacts.add(new Artifact(Artifacts.random(dir, "small-" + i + ".bin", 4096), "small-" + i + ".bin"));
        }
        List<ReportEntry> entries;
        try (Prehash prehash = Prehash.start(files(artifacts), CMS);
                SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            entries = new ArtifactSigner(key, CMS, prehash).signAll(artifacts, 2);
        }
        assertEquals(artifacts.size(), entries.size());
        Path ca = TestPki.shared().writeCaPem(dir.resolve("ca.pem"));
        for (ReportEntry entry : entries) {
            assertEquals(entry.reason(), Status.SIGNED, entry.status());
            Path file = dir.resolve(entry.path());
            assertEquals(ContentHashes.sha256Hex(file), entry.sha256Before());
            assertOpensslAccepts(file, ca);
        }
    }

    @Test
    public void aFileChangedAfterItWasReadAheadIsSignedAsItIsNow() throws Exception {
        ExternalTool.require("openssl");
        Path dir = tmp.getRoot().toPath();
        Path file = Artifacts.random(dir, "changing.bin", 100_000);
        List<ReportEntry> entries;
        try (Prehash prehash = Prehash.start(List.of(file), CMS)) {
            waitUntilRead(prehash, file);
            Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
                entries = new ArtifactSigner(key, CMS, prehash).sign(file, "changing.bin");
            }
        }
        assertEquals(Status.SIGNED, entries.get(0).status());
        assertEquals(100_003L, (long) entries.get(0).size());
        assertEquals(ContentHashes.sha256Hex(file), entries.get(0).sha256Before());
        assertOpensslAccepts(file, TestPki.shared().writeCaPem(dir.resolve("ca.pem")));
    }

    @Test
    public void hashesReadAheadAreThoseOfTheFileAndAreHandedOverOnce() throws Exception {
        Path file = Artifacts.random(tmp.getRoot().toPath(), "a.bin", 300_000);
        try (Prehash prehash = Prehash.start(List.of(file), CMS)) {
            waitUntilRead(prehash, file);
            ContentHashes hashes = prehash.take(file, Set.of(DigestAlgorithm.SHA256));
            assertNotNull(hashes);
            assertArrayEquals(ContentHashes.of(file, Set.of()).digest(DigestAlgorithm.SHA256),
                    hashes.digest(DigestAlgorithm.SHA256));
            assertNull("a second request reads the file itself", prehash.take(file, Set.of(DigestAlgorithm.SHA256)));
        }
    }

    @Test
    public void aFileAskedForBeforeTheReaderGotToItIsLeftToTheSigner() throws Exception {
        Path dir = tmp.getRoot().toPath();
        Path first = Artifacts.random(dir, "first.bin", 2_000_000);
        Path second = Artifacts.random(dir, "second.bin", 1000);
        try (Prehash prehash = Prehash.start(List.of(first, second), CMS)) {
            ContentHashes claimed = prehash.take(second, Set.of(DigestAlgorithm.SHA256));
            waitUntilRead(prehash, first);
            if (claimed == null) {
                assertFalse("the reader skips a file the signer reads itself", prehash.finished(second));
            }
        }
    }

    @Test
    public void nothingIsReadAheadForEmbeddedOrDetectedFormatsOrOtherDigests() throws Exception {
        Path file = Artifacts.random(tmp.getRoot().toPath(), "a.bin", 1000);
        for (SigningOptions options : List.of(SigningOptions.defaults(),
                SigningOptions.defaults().formats(EnumSet.of(Format.CMS, Format.JAR)),
                CMS.autoAnd(Set.of(Format.CMS)))) {
            try (Prehash prehash = Prehash.start(List.of(file), options)) {
                assertNull(prehash.take(file, Set.of(DigestAlgorithm.SHA256)));
            }
        }
        try (Prehash prehash = Prehash.start(List.of(file), CMS)) {
            assertNull(prehash.take(file, Set.of(DigestAlgorithm.SHA512)));
        }
    }

    /** Reading ahead is finished once the file's entry holds completed hashes; polls, asserts no time. */
    private static void waitUntilRead(Prehash prehash, Path file) throws InterruptedException {
        while (!prehash.finished(file)) {
            Thread.sleep(5);
        }
    }

    private static List<Path> files(List<Artifact> artifacts) {
        return artifacts.stream().map(Artifact::file).toList();
    }

    private static void assertOpensslAccepts(Path artifact, Path ca) {
        ToolResult result = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-content", artifact.toString(), "-in", artifact + ".p7s", "-CAfile", ca.toString(), "-purpose",
                "any", "-out", "/dev/null"));
        assertEquals(result.output(), 0, result.exitCode());
    }
}
