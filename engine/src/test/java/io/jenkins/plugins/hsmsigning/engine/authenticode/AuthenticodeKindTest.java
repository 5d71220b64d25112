package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Detection by content: the right kind for every sample, and nothing for look-alikes. */
public class AuthenticodeKindTest {

    private static final Map<AuthenticodeSamples, AuthenticodeKind> EXPECTED = Map.ofEntries(
            Map.entry(AuthenticodeSamples.PE, AuthenticodeKind.PE),
            Map.entry(AuthenticodeSamples.MSI, AuthenticodeKind.MSI),
            Map.entry(AuthenticodeSamples.CAB, AuthenticodeKind.CAB),
            Map.entry(AuthenticodeSamples.CAT, AuthenticodeKind.CATALOG),
            Map.entry(AuthenticodeSamples.PS1, AuthenticodeKind.POWERSHELL),
            Map.entry(AuthenticodeSamples.PSM1, AuthenticodeKind.POWERSHELL),
            Map.entry(AuthenticodeSamples.PSD1, AuthenticodeKind.POWERSHELL),
            Map.entry(AuthenticodeSamples.PS1XML, AuthenticodeKind.POWERSHELL_XML),
            Map.entry(AuthenticodeSamples.PSC1, AuthenticodeKind.POWERSHELL_XML),
            Map.entry(AuthenticodeSamples.CDXML, AuthenticodeKind.POWERSHELL_XML),
            Map.entry(AuthenticodeSamples.MOF, AuthenticodeKind.MOF),
            Map.entry(AuthenticodeSamples.VBS, AuthenticodeKind.VBSCRIPT),
            Map.entry(AuthenticodeSamples.JS, AuthenticodeKind.JSCRIPT),
            Map.entry(AuthenticodeSamples.WSF, AuthenticodeKind.WINDOWS_SCRIPT),
            Map.entry(AuthenticodeSamples.APPX, AuthenticodeKind.APPX),
            Map.entry(AuthenticodeSamples.MSIX, AuthenticodeKind.APPX),
            Map.entry(AuthenticodeSamples.BUNDLE, AuthenticodeKind.APPX),
            Map.entry(AuthenticodeSamples.NUGET, AuthenticodeKind.NUGET));

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everySampleIsRecognisedEvenUnderATemporaryName() throws Exception {
        for (AuthenticodeSamples sample : AuthenticodeSamples.values()) {
            Path file = sample.copyTo(dir());
            assertEquals(sample.name(), EXPECTED.get(sample), AuthenticodeKind.detect(file, sample.fileName()));
            assertEquals(sample.name(), Format.AUTHENTICODE, Formats.recognize(file).format());
            if (!sample.name().matches("PS.*|CDXML|MOF|VBS|JS|WSF")) {
                Path renamed = Files.move(file, dir().resolve(".hsmsign-123.tmp"));
                assertEquals(sample.name(), EXPECTED.get(sample), AuthenticodeKind.detect(renamed, "x.tmp"));
                Files.delete(renamed);
            }
        }
    }

    @Test
    public void scriptsNeedTheirExtensionAndText() throws Exception {
        Path upper = Files.writeString(dir().resolve("SETUP.PS1"), "Write-Output 1\r\n");
        assertEquals(AuthenticodeKind.POWERSHELL, AuthenticodeKind.detect(upper, "dist/SETUP.PS1"));
        Path utf16 = Files.write(dir().resolve("utf16.ps1"), concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                "Write-Output 1\r\n".getBytes(StandardCharsets.UTF_16LE)));
        assertEquals(AuthenticodeKind.POWERSHELL, AuthenticodeKind.detect(utf16, "utf16.ps1"));
        assertNull(AuthenticodeKind.detect(Artifacts.random(dir(), "binary.ps1", 300), "binary.ps1"));
        assertNull(AuthenticodeKind.detect(Files.writeString(dir().resolve("notes.txt"), "text\n"), "notes.txt"));
        assertNull(Formats.recognize(dir().resolve("notes.txt")));
    }

    @Test
    public void otherCompoundFilesAreNotInstallers() throws Exception {
        Path document = AuthenticodeSamples.MSI.copyTo(dir());
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(document)).order(ByteOrder.LITTLE_ENDIAN);
        long rootClsid = ((header.getInt(0x30) + 1L) << header.getShort(0x1E)) + 0x50;
        Artifacts.flipByte(document, rootClsid);
        assertNull(AuthenticodeKind.detect(document, "hello.doc"));
    }

    @Test
    public void truncatedOrForeignFilesAreNotRecognised() throws Exception {
        Path pe = AuthenticodeSamples.PE.copyTo(dir());
        Path truncated = Files.write(dir().resolve("truncated.exe"), Arrays.copyOf(Files.readAllBytes(pe), 64));
        assertNull(AuthenticodeKind.detect(truncated, "truncated.exe"));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        Path p7s = Files.write(dir().resolve("detached.cat"),
                generator.generate(new CMSProcessableByteArray("data".getBytes(StandardCharsets.US_ASCII)), true)
                        .getEncoded());
        assertNull("a CMS signature is not a catalog", AuthenticodeKind.detect(p7s, "detached.cat"));
    }

    @Test
    public void zipArchivesAreAppxNugetOrJarByTheirLayout() throws Exception {
        ByteArrayOutputStream jarBytes = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream jar = new JarOutputStream(jarBytes, manifest)) {
            jar.putNextEntry(new ZipEntry("a/B.class"));
            jar.write(new byte[] {1, 2, 3});
        }
        Path jar = Files.write(dir().resolve("lib.jar"), jarBytes.toByteArray());
        assertNull(AuthenticodeKind.detect(jar, "lib.jar"));
        assertEquals(Format.JAR, Formats.recognize(jar).format());

        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new ZipEntry("AppxManifest.xml"));
            zip.write("<Package/>".getBytes(StandardCharsets.UTF_8));
        }
        Path noContentTypes = Files.write(dir().resolve("broken.appx"), zipBytes.toByteArray());
        assertNull(AuthenticodeKind.detect(noContentTypes, "broken.appx"));
        assertNull(Formats.recognize(noContentTypes));
    }

    private Path dir() {
        return tmp.getRoot().toPath();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
