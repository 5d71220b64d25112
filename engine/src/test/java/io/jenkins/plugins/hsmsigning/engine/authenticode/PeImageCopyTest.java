package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.Set;
import net.jsign.pe.PEFile;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The image digest computed while copying a PE file is the one jsign computes from the copy (and so the one
 * {@code osslsigncode verify} recomputes, which the format tests check): unsigned files, files of a length that is
 * no multiple of 8 (hashed as if padded), signed files (the certificate table is left out), large files (whose
 * SHA-256 runs on a second thread), for each digest; and the copy is the artifact byte for byte.
 */
public class PeImageCopyTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @ClassRule
    public static final TestKeys.OpenedKey RSA = TestKeys.opened(SoftHsmToken.RSA3072);

    @Test
    public void anUnsignedPeFile() throws Exception {
        assertSameAsJsign(AuthenticodeSamples.PE.copyTo(dir()));
    }

    @Test
    public void aPeFileWhoseLengthIsNoMultipleOfEight() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        Files.write(file, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
        assertSameAsJsign(file);
    }

    @Test
    public void aSignedPeFile() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        ReportEntry signed = EmbeddedSigning.sign(RSA.key(), file,
                SigningOptions.defaults().formats(Set.of(Format.AUTHENTICODE)));
        assertEquals(signed.reason(), Status.SIGNED, signed.status());
        assertSameAsJsign(file);
    }

    @Test
    public void aLargePeFile() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        byte[] overlay = new byte[(5 << 20) + 3];
        new Random(21).nextBytes(overlay);
        Files.write(file, overlay, StandardOpenOption.APPEND);
        assertSameAsJsign(file);
    }

    private void assertSameAsJsign(Path file) throws Exception {
        for (DigestAlgorithm digest : DigestAlgorithm.values()) {
            Path copy = Files.createFile(dir().resolve("copy-" + digest.name() + ".exe"));
            PeImageCopy.Digests copied = PeImageCopy.copy(file, copy, digest);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(copy));
            assertEquals(ContentHashes.sha256Hex(file), copied.sha256Hex());
            try (PEFile pe = new PEFile(copy.toFile())) {
                assertArrayEquals(digest.name(), pe.computeDigest(AuthenticodeFormat.jsignDigest(digest)),
                        copied.imageDigest());
            }
            Files.delete(copy);
        }
    }

    private Path dir() {
        return tmp.getRoot().toPath();
    }
}
