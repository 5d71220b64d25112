package io.jenkins.plugins.hsmsigning.engine.deep;

import static io.jenkins.plugins.hsmsigning.engine.deep.DeepSamples.assertUntouched;
import static io.jenkins.plugins.hsmsigning.engine.deep.DeepSamples.entries;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.authenticode.EmbeddedSigning;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.jar.JarSamples;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Deep signing of APPX/MSIX packages: the executables, libraries and JARs inside are signed, the block map restates
 * their blocks, the package is signed again; checked by osslsigncode, jarsigner and an independent block map check.
 */
public class DeepAppxSigningTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @ClassRule
    public static final TestKeys.OpenedKey RSA = TestKeys.opened(SoftHsmToken.RSA3072);

    private Path dir() {
        return tmp.getRoot().toPath();
    }

    private List<ReportEntry> deepSign(Path file, SigningOptions options) {
        return new DeepSigner(RSA.key(), options, InnerSelection.all()).sign(file, "dist/app.appx");
    }

    private static List<ReportEntry> deepVerify(Path file) {
        return new DeepVerifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())),
                InnerSelection.all()).verify(file, "dist/app.appx");
    }

    /** A package with an executable (deflated, four blocks), a library (stored), a JAR; laid out as MakeAppx does. */
    private Path sample() throws Exception {
        return sample(true);
    }

    private Path sample(boolean zip64) throws Exception {
        return AppxSamples.appx(dir().resolve("app.appx"), entries(
                "hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8),
                "bin/app.exe", AppxSamples.largePe(dir()),
                "bin/lib.dll", DeepSamples.dll(dir()),
                "lib/tool.jar", DeepSamples.jar(dir(), "jar")), Set.of("bin/lib.dll", "hello.txt"), zip64);
    }

    private static void assertOsslsigncodeAccepts(Path file) {
        ToolResult result = EmbeddedSigning.osslsigncode(file);
        assertEquals(result.output(), 0, result.exitCode());
        assertThat(result.output(), containsString("Signature verification: ok"));
    }

    @Test
    public void theFilesInsideAreSignedAndTheBlockMapStatesTheirNewBlocks() throws Exception {
        signsInsideAndRestatesBlocks(sample(true));
        assertEquals("the executable's whole-file hash is restated", 1, AppxSamples.fileHashes);
    }

    @Test
    public void aPackageWithoutZip64IsDeepSignedToo() throws Exception {
        signsInsideAndRestatesBlocks(sample(false));
    }

    private void signsInsideAndRestatesBlocks(Path appx) throws Exception {
        assertEquals("the sample's own block map is true", 5, AppxSamples.assertBlockMapTrue(appx));
        Map<String, byte[]> before = DeepSamples.rawEntries(appx);
        List<String> namesBefore = DeepSamples.names(appx);
        String mapBefore = new String(DeepSamples.read(appx, "AppxBlockMap.xml"), StandardCharsets.UTF_8);

        List<ReportEntry> entries = deepSign(appx, SigningOptions.defaults());

        for (ReportEntry e : entries) {
            assertEquals(e.toString(), Status.SIGNED, e.status());
        }
        List<String> paths = entries.stream().map(ReportEntry::path).toList();
        assertEquals(List.of("dist/app.appx!/bin/app.exe", "dist/app.appx!/bin/lib.dll", "dist/app.appx!/lib/tool.jar",
                "dist/app.appx"), paths);
        assertTrue(entries.get(3).warnings().toString(), entries.get(3).warnings().isEmpty());
        assertOsslsigncodeAccepts(appx);
        Path out = dir().resolve("extracted");
        assertOsslsigncodeAccepts(DeepSamples.extract(appx, "bin/app.exe", out));
        assertOsslsigncodeAccepts(DeepSamples.extract(appx, "bin/lib.dll", out));
        ToolResult jar = JarSamples.jarsigner(DeepSamples.extract(appx, "lib/tool.jar", out));
        assertEquals(jar.output(), 0, jar.exitCode());
        assertEquals(5, AppxSamples.assertBlockMapTrue(appx));

        Map<String, byte[]> after = DeepSamples.rawEntries(appx);
        assertUntouched(before, after, "hello.txt", "AppxManifest.xml");
        String mapAfter = new String(DeepSamples.read(appx, "AppxBlockMap.xml"), StandardCharsets.UTF_8);
        assertEquals("the root element is written as it was", mapBefore.substring(0, mapBefore.indexOf("<File")),
                mapAfter.substring(0, mapAfter.indexOf("<File")));
        for (String unchanged : List.of("hello.txt", "AppxManifest.xml")) {
            String element = mapBefore.substring(mapBefore.indexOf("<File Name=\"" + unchanged + "\""));
            element = element.substring(0, element.indexOf("</File>") + 7);
            assertThat("the entry of " + unchanged + " is kept", mapAfter, containsString(element));
        }
        assertNotEquals(java.nio.ByteBuffer.wrap(before.get("bin/app.exe")),
                java.nio.ByteBuffer.wrap(after.get("bin/app.exe")));
        List<String> expectedNames = new ArrayList<>(namesBefore);
        expectedNames.add("AppxSignature.p7x");
        assertEquals(expectedNames, DeepSamples.names(appx));

        for (ReportEntry e : deepVerify(appx)) {
            assertEquals(e.toString(), Status.VERIFIED, e.status());
        }
        assertEquals(4, deepVerify(appx).size());
        assertNoLeftovers();
    }

    @Test
    public void aBlockMapThatDoesNotMatchAFileFailsDeepVerification() throws Exception {
        Path appx = sample();
        deepSign(appx, SigningOptions.defaults());
        changeStoredEntry(appx, "hello.txt", (byte) 'j');

        List<ReportEntry> failed = deepVerify(appx).stream().filter(ReportEntry::failed).toList();

        assertTrue(failed.toString(), failed.stream().anyMatch(e -> e.path().equals("dist/app.appx")
                && e.reason().contains("AppxBlockMap.xml states another hash for a block of hello.txt")));
    }

    @Test
    public void aPackageAlreadySignedKeepsItsFilesUnlessSignaturesAreReplaced() throws Exception {
        Path appx = sample();
        assertEquals(Status.SIGNED, EmbeddedSigning.sign(RSA.key(), appx, SigningOptions.defaults()).status());
        byte[] exe = DeepSamples.read(appx, "bin/app.exe");

        List<ReportEntry> kept = deepSign(appx, SigningOptions.defaults());
        assertEquals(kept.toString(), 1, kept.size());
        assertThat(kept.get(0).warnings().toString(), containsString("already signed"));
        assertArrayEquals(exe, DeepSamples.read(appx, "bin/app.exe"));

        List<ReportEntry> replaced = deepSign(appx, SigningOptions.defaults().replaceSignatures(true));
        assertEquals(replaced.toString(), 4, replaced.size());
        assertFalse(replaced.stream().anyMatch(ReportEntry::failed));
        assertOsslsigncodeAccepts(appx);
        assertOsslsigncodeAccepts(DeepSamples.extract(appx, "bin/app.exe", dir().resolve("x")));
        assertEquals(5, AppxSamples.assertBlockMapTrue(appx));
        assertEquals(1, DeepSamples.names(appx).stream().filter("AppxSignature.p7x"::equals).count());
    }

    @Test
    public void aBundleIsSignedButNotOpened() throws Exception {
        Path bundle = AuthenticodeSamples.BUNDLE.copyTo(dir());
        String sha = Artifacts.sha256(bundle);

        List<ReportEntry> entries = new DeepSigner(RSA.key(), SigningOptions.defaults(), InnerSelection.all())
                .sign(bundle, "hello.msixbundle");

        assertEquals(entries.toString(), 1, entries.size());
        assertEquals(Status.SIGNED, entries.get(0).status());
        assertThat(entries.get(0).warnings().toString(), containsString("bundles"));
        assertEquals(sha, entries.get(0).sha256Before());
        assertOsslsigncodeAccepts(bundle);
    }

    /** Changes the first byte of a stored entry and its CRC, so that only the block map can tell. */
    private static void changeStoredEntry(Path zip, String name, byte first) throws Exception {
        byte[] bytes = Files.readAllBytes(zip);
        ZipLayout.Entry entry;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(zip)) {
            entry = ZipLayout.read(channel, name).entries().stream().filter(e -> e.name().equals(name)).findFirst()
                    .orElseThrow();
        }
        int central = indexOf(bytes, entry.centralRecord());
        bytes[(int) entry.dataStart()] = first;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, (int) entry.dataStart(), (int) entry.size());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) entry.localOffset() + 14, (int) crc.getValue());
        b.putInt(central + 16, (int) crc.getValue());
        Files.write(zip, bytes);
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = bytes.length - part.length; i >= 0; i--) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private void assertNoLeftovers() throws Exception {
        try (Stream<Path> files = Files.list(dir())) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".hsmsign-")).toList());
        }
    }
}
