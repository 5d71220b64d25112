package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Files that must not be signed or must not verify: a DOS program, a PE whose certificate table hides bytes after
 * the signature (CVE-2013-3900) or holds a non-PKCS#7 entry, and files named like a signed kind that are not one.
 */
public class AuthenticodeRefusalsTest {

    /** A DOS program as DOS linkers write it: a 32-byte header (relocations at 0x1C), then "mov ah,4Ch; int 21h". */
    private static final byte[] DOS_PROGRAM = HexFormat.of().parseHex("4d5a24000100000002000000ffff0000b8000000"
            + "000000001c000000b44ccd21");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @ClassRule
    public static final TestKeys.OpenedKey RSA = TestKeys.opened(SoftHsmToken.RSA3072);

    @Test
    public void aDosProgramIsRefusedAsOne() throws Exception {
        for (SigningOptions options : List.of(SigningOptions.defaults(), authenticode())) {
            Path file = Files.write(dir().resolve("edit.exe"), DOS_PROGRAM);
            ReportEntry refused = EmbeddedSigning.sign(RSA.key(), file, options);
            assertEquals(Status.FAILED, refused.status());
            assertEquals(Failure.INPUT_ERROR, refused.failure());
            assertThat(refused.reason(), containsString("edit.exe is a DOS program, not a Windows PE file"));
            assertEquals(List.of("edit.exe"), names());
        }
        ReportEntry verified = EmbeddedSigning.verify(dir().resolve("edit.exe")).get(0);
        assertEquals(Failure.MALFORMED, verified.failure());
        assertThat(verified.reason(), containsString("is a DOS program, not a Windows PE file"));
    }

    @Test
    public void bytesHiddenAfterTheSignatureInTheCertificateTableFailVerification() throws Exception {
        Path file = signedPe();
        byte[] pe = Files.readAllBytes(file);
        ByteBuffer bytes = ByteBuffer.wrap(pe).order(ByteOrder.LITTLE_ENDIAN);
        int directory = securityDirectory(bytes);
        int at = bytes.getInt(directory);
        int length = bytes.getInt(directory + 4);
        byte[] hidden = "hidden payload!!".getBytes(StandardCharsets.US_ASCII);
        byte[] patched = Arrays.copyOf(pe, pe.length + hidden.length);
        System.arraycopy(hidden, 0, patched, pe.length, hidden.length);
        ByteBuffer out = ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(directory + 4, length + hidden.length);
        out.putInt(at, out.getInt(at) + hidden.length);
        Files.write(file, patched);

        ReportEntry verified = EmbeddedSigning.verify(file).get(0);
        assertEquals(verified.reason(), Failure.MALFORMED, verified.failure());
        assertThat(verified.reason(), containsString("bytes hidden in its certificate table after the signature"));
        assertThat(verified.reason(), containsString("CVE-2013-3900"));
    }

    @Test
    public void aCertificateTableEntryThatIsNotPkcs7FailsVerification() throws Exception {
        Path file = signedPe();
        byte[] pe = Files.readAllBytes(file);
        ByteBuffer bytes = ByteBuffer.wrap(pe).order(ByteOrder.LITTLE_ENDIAN);
        int at = bytes.getInt(securityDirectory(bytes));
        bytes.putShort(at + 6, (short) 1);
        Files.write(file, pe);

        ReportEntry verified = EmbeddedSigning.verify(file).get(0);
        assertEquals(verified.reason(), Failure.MALFORMED, verified.failure());
        assertThat(verified.reason(), containsString("certificate table entry of type 1, which is not an "
                + "Authenticode signature"));
    }

    @Test
    public void autoRefusesAFileNamedLikeASignedKindWhoseContentIsNot() throws Exception {
        Path text = Files.writeString(dir().resolve("setup.exe"), "#!/bin/sh\necho not a program\n");
        Path binary = Artifacts.random(dir(), "library.jar", 300);
        Path renamed = dir().resolve("app.msix");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(renamed))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("a plain archive\n".getBytes(StandardCharsets.US_ASCII));
        }
        for (Path file : List.of(text, binary, renamed)) {
            String before = Artifacts.sha256(file);
            ReportEntry refused = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults());
            assertEquals(Status.FAILED, refused.status());
            assertEquals(Failure.INPUT_ERROR, refused.failure());
            assertEquals(before, Artifacts.sha256(file));
        }
        assertThat(EmbeddedSigning.sign(RSA.key(), text, SigningOptions.defaults()).reason(), containsString(
                "setup.exe is named like a Windows executable (PE) (.exe), but its content is text"));
        assertThat(EmbeddedSigning.sign(RSA.key(), binary, SigningOptions.defaults()).reason(), containsString(
                "named like a Java archive"));
        assertThat(EmbeddedSigning.sign(RSA.key(), renamed, SigningOptions.defaults()).reason(), containsString(
                "named like an APPX/MSIX package (.msix), but its content is a ZIP archive of another kind"));
        assertFalse("no detached signature was written", names().stream().anyMatch(n -> n.endsWith(".p7s")));

        ReportEntry explicit = EmbeddedSigning.sign(RSA.key(), text,
                SigningOptions.defaults().formats(Set.of(Format.CMS)));
        assertEquals("asked for explicitly, a detached signature is still made", Status.SIGNED, explicit.status());
    }

    private Path signedPe() {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        assertEquals(Status.SIGNED, EmbeddedSigning.sign(RSA.key(), file, authenticode()).status());
        assertEquals(Status.VERIFIED, EmbeddedSigning.verify(file).get(0).status());
        return file;
    }

    /** Where the certificate table's data directory entry (offset, size) lies. */
    private static int securityDirectory(ByteBuffer pe) {
        int optional = pe.getInt(0x3C) + 24;
        int directories = optional + (Short.toUnsignedInt(pe.getShort(optional)) == 0x20b ? 112 : 96);
        return directories + 4 * 8;
    }

    private List<String> names() throws Exception {
        try (var files = Files.list(dir())) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private Path dir() {
        return tmp.getRoot().toPath();
    }

    private static SigningOptions authenticode() {
        return SigningOptions.defaults().formats(Set.of(Format.AUTHENTICODE));
    }
}
