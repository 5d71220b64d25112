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

import io.jenkins.plugins.hsmsigning.engine.authenticode.EmbeddedSigning;
import io.jenkins.plugins.hsmsigning.engine.authenticode.Osslsigncode;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.jar.JarSamples;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DeepSigningTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @ClassRule
    public static final TestKeys.OpenedKey RSA = TestKeys.opened(SoftHsmToken.RSA3072);

    private Path dir() {
        return tmp.getRoot().toPath();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<ReportEntry> deepSign(Path file, String display, InnerSelection selection) {
        return new DeepSigner(RSA.key(), SigningOptions.defaults(), selection).sign(file, display);
    }

    private static List<ReportEntry> deepVerify(Path file, String display) {
        return new DeepVerifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())),
                InnerSelection.all()).verify(file, display);
    }

    private static Map<String, ReportEntry> byPath(List<ReportEntry> entries) {
        return entries.stream().collect(Collectors.toMap(e -> e.path() + " " + e.format(), e -> e, (a, b) -> b));
    }

    private static void assertAllSigned(List<ReportEntry> entries) {
        for (ReportEntry e : entries) {
            assertEquals(e.toString(), Status.SIGNED, e.status());
        }
    }

    private static void assertOsslsigncodeAccepts(Path file) {
        ToolResult result = EmbeddedSigning.osslsigncode(file);
        assertEquals(result.output(), 0, result.exitCode());
        assertThat(result.output(), containsString("Signature verification: ok"));
    }

    private static void assertJarsignerAccepts(Path jar) throws Exception {
        ToolResult result = JarSamples.jarsigner(jar);
        assertEquals(result.output(), 0, result.exitCode());
        assertThat(result.output(), containsString("jar verified."));
    }

    @Test
    public void zipWithExecutableLibraryAndJarIsSignedInsideAndGetsADetachedSignature() throws Exception {
        Path zip = DeepSamples.zip(dir().resolve("app.zip"), entries(
                "README.txt", text("read me\n"),
                "bin/", null,
                "bin/app.exe", DeepSamples.pe(dir()),
                "bin/lib.dll", DeepSamples.dll(dir()),
                "lib/tool.jar", DeepSamples.jar(dir(), "jar"),
                "docs/manual.txt", text("the manual\n".repeat(100)),
                "data.bin", text("stored data")), Set.of("data.bin", "bin/app.exe"));
        Map<String, byte[]> before = DeepSamples.rawEntries(zip);

        List<ReportEntry> entries = deepSign(zip, "dist/app.zip", InnerSelection.of(null, null, "docs/*.txt"));

        assertAllSigned(entries);
        Map<String, ReportEntry> report = byPath(entries);
        assertTrue(report.toString(), report.containsKey("dist/app.zip!/bin/app.exe authenticode"));
        assertTrue(report.toString(), report.containsKey("dist/app.zip!/bin/lib.dll authenticode"));
        assertTrue(report.toString(), report.containsKey("dist/app.zip!/lib/tool.jar jar"));
        assertTrue(report.toString(), report.containsKey("dist/app.zip!/docs/manual.txt cms"));
        ReportEntry own = report.get("dist/app.zip cms");
        assertEquals("dist/app.zip.p7s", own.signatureFile());
        assertEquals(entries.get(entries.size() - 1), own);
        assertNotEquals(own.sha256Before(), own.sha256After());
        assertTrue(Files.isRegularFile(dir().resolve("app.zip.p7s")));

        assertEquals(List.of("README.txt", "bin/", "bin/app.exe", "bin/lib.dll", "lib/tool.jar", "docs/manual.txt",
                "docs/manual.txt.p7s", "data.bin"), DeepSamples.names(zip));
        Map<String, byte[]> after = DeepSamples.rawEntries(zip);
        assertUntouched(before, after, "README.txt", "bin/", "docs/manual.txt", "data.bin");

        Path out = dir().resolve("extracted");
        assertOsslsigncodeAccepts(DeepSamples.extract(zip, "bin/app.exe", out));
        assertOsslsigncodeAccepts(DeepSamples.extract(zip, "bin/lib.dll", out));
        assertJarsignerAccepts(DeepSamples.extract(zip, "lib/tool.jar", out));
        Path manual = DeepSamples.extract(zip, "docs/manual.txt", out);
        DeepSamples.extract(zip, "docs/manual.txt.p7s", out);
        assertOpensslAccepts(manual);
        assertOpensslAccepts(zip);

        List<ReportEntry> verified = deepVerify(zip, "dist/app.zip");
        for (ReportEntry e : verified) {
            assertEquals(e.toString(), Status.VERIFIED, e.status());
        }
        Set<String> verifiedPaths = verified.stream().map(ReportEntry::path).collect(Collectors.toSet());
        assertEquals(Set.of("dist/app.zip!/bin/app.exe", "dist/app.zip!/bin/lib.dll", "dist/app.zip!/lib/tool.jar",
                "dist/app.zip!/docs/manual.txt", "dist/app.zip"), verifiedPaths);
        assertNoLeftovers();
    }

    @Test
    public void warWithJarsIsSignedInsideThenItself() throws Exception {
        Path war = dir().resolve("app.war");
        Files.write(war, DeepSamples.jar(dir(), "war"));
        Path unpacked = dir().resolve("war-entries");
        Map<String, byte[]> content = new java.util.LinkedHashMap<>();
        for (String name : DeepSamples.names(war)) {
            content.put(name, name.endsWith("/") ? null : DeepSamples.read(war, name));
        }
        content.put("WEB-INF/lib/", null);
        content.put("WEB-INF/lib/a.jar", DeepSamples.jar(unpacked, "jar"));
        content.put("WEB-INF/lib/b.jar", DeepSamples.jar(unpacked, "jar"));
        DeepSamples.zip(war, content, Set.of());
        Map<String, byte[]> before = DeepSamples.rawEntries(war);

        List<ReportEntry> entries = deepSign(war, "app.war", InnerSelection.all());

        assertAllSigned(entries);
        assertEquals(List.of("app.war!/WEB-INF/lib/a.jar", "app.war!/WEB-INF/lib/b.jar", "app.war"),
                entries.stream().map(ReportEntry::path).toList());
        assertJarsignerAccepts(war);
        Path out = dir().resolve("extracted");
        assertJarsignerAccepts(DeepSamples.extract(war, "WEB-INF/lib/a.jar", out));
        assertJarsignerAccepts(DeepSamples.extract(war, "WEB-INF/lib/b.jar", Files.createDirectories(out.resolve("b"))));
        Map<String, byte[]> after = DeepSamples.rawEntries(war);
        assertUntouched(before, after, "WEB-INF/web.xml", "com/example/Hello.class", "WEB-INF/lib/");
        for (ReportEntry e : deepVerify(war, "app.war")) {
            assertEquals(e.toString(), Status.VERIFIED, e.status());
        }
    }

    @Test
    public void nugetPackageWithLibrariesIsSignedInsideThenItself() throws Exception {
        Path sample = io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples.NUGET
                .copyTo(Files.createDirectories(dir().resolve("sample")));
        Map<String, byte[]> content = new java.util.LinkedHashMap<>();
        for (String name : DeepSamples.names(sample)) {
            content.put(name, DeepSamples.read(sample, name));
        }
        content.put("lib/netstandard2.0/Hello.dll", DeepSamples.dll(dir()));
        content.put("lib/net8.0/Hello.dll", DeepSamples.dll(dir()));
        Path nupkg = DeepSamples.zip(dir().resolve("Hello.1.0.0.nupkg"), content, Set.of());
        Map<String, byte[]> before = DeepSamples.rawEntries(nupkg);

        List<ReportEntry> entries = deepSign(nupkg, "Hello.1.0.0.nupkg", InnerSelection.all());

        assertAllSigned(entries);
        assertEquals(List.of("Hello.1.0.0.nupkg!/lib/netstandard2.0/Hello.dll", "Hello.1.0.0.nupkg!/lib/net8.0/"
                + "Hello.dll", "Hello.1.0.0.nupkg"), entries.stream().map(ReportEntry::path).toList());
        assertEquals("authenticode", entries.get(2).format());
        List<ReportEntry> verified = EmbeddedSigning.verify(nupkg);
        assertEquals(verified.toString(), Status.VERIFIED, verified.get(0).status());
        assertOsslsigncodeAccepts(DeepSamples.extract(nupkg, "lib/net8.0/Hello.dll", dir().resolve("x")));
        assertUntouched(before, DeepSamples.rawEntries(nupkg), "_rels/.rels", "hello.nuspec",
                "lib/netstandard2.0/readme.txt", "[Content_Types].xml");
        List<ReportEntry> deep = deepVerify(nupkg, "Hello.1.0.0.nupkg");
        assertEquals(deep.toString(), 3, deep.size());
        for (ReportEntry e : deep) {
            assertEquals(e.toString(), Status.VERIFIED, e.status());
        }
    }

    @Test
    public void nestedZipInZipIsSignedAllTheWayDown() throws Exception {
        Path innerZip = DeepSamples.zip(dir().resolve("inner.zip"), entries(
                "notes.txt", text("inner notes"),
                "tool.exe", DeepSamples.pe(dir())), Set.of());
        Path outer = DeepSamples.zip(dir().resolve("outer.zip"), entries(
                "inner.zip", Files.readAllBytes(innerZip),
                "top.txt", text("top")), Set.of("inner.zip"));
        Map<String, byte[]> before = DeepSamples.rawEntries(outer);
        Map<String, byte[]> innerBefore = DeepSamples.rawEntries(innerZip);

        List<ReportEntry> entries = deepSign(outer, "outer.zip", InnerSelection.all());

        assertAllSigned(entries);
        assertEquals(List.of("outer.zip!/inner.zip!/tool.exe", "outer.zip"),
                entries.stream().map(ReportEntry::path).toList());
        Path extractedInner = DeepSamples.extract(outer, "inner.zip", dir().resolve("x"));
        assertOsslsigncodeAccepts(DeepSamples.extract(extractedInner, "tool.exe", dir().resolve("y")));
        assertUntouched(innerBefore, DeepSamples.rawEntries(extractedInner), "notes.txt");
        assertUntouched(before, DeepSamples.rawEntries(outer), "top.txt");
        Set<String> verified = deepVerify(outer, "outer.zip").stream()
                .peek(e -> assertEquals(e.toString(), Status.VERIFIED, e.status()))
                .map(ReportEntry::path).collect(Collectors.toSet());
        assertEquals(Set.of("outer.zip!/inner.zip!/tool.exe", "outer.zip"), verified);
    }

    @Test
    public void excludedAndUnselectedFilesStayAsTheyWere() throws Exception {
        Path zip = DeepSamples.zip(dir().resolve("app.zip"), entries(
                "bin/app.exe", DeepSamples.pe(dir()),
                "bin/lib.dll", DeepSamples.dll(dir()),
                "plugins/extra.dll", DeepSamples.dll(dir())), Set.of());
        Map<String, byte[]> before = DeepSamples.rawEntries(zip);

        List<ReportEntry> entries = deepSign(zip, "app.zip", InnerSelection.of("bin/**, plugins/**", "**/lib.dll",
                null));

        assertAllSigned(entries);
        assertEquals(List.of("app.zip!/bin/app.exe", "app.zip!/plugins/extra.dll", "app.zip"),
                entries.stream().map(ReportEntry::path).toList());
        assertUntouched(before, DeepSamples.rawEntries(zip), "bin/lib.dll");
        zip = DeepSamples.zip(dir().resolve("only.zip"), entries("bin/app.exe", DeepSamples.pe(dir()),
                "bin/lib.dll", DeepSamples.dll(dir())), Set.of());
        before = DeepSamples.rawEntries(zip);
        deepSign(zip, "only.zip", InnerSelection.of("**/*.exe", null, null));
        assertUntouched(before, DeepSamples.rawEntries(zip), "bin/lib.dll");
    }

    @Test
    public void anInnerFileSignedByAVendorKeepsThatSignatureAndGetsOursNested() throws Exception {
        ExternalTool.require("osslsigncode");
        Path vendorExe = dir().resolve("vendor.exe");
        Files.write(vendorExe, DeepSamples.pe(dir()));
        Osslsigncode.sign(vendorExe, "sha256");
        Path zip = DeepSamples.zip(dir().resolve("app.zip"), entries("vendor.exe", Files.readAllBytes(vendorExe)),
                Set.of());

        assertAllSigned(deepSign(zip, "app.zip", InnerSelection.all()));

        Path extracted = DeepSamples.extract(zip, "vendor.exe", dir().resolve("x"));
        List<ReportEntry> verified = EmbeddedSigning.verify(extracted);
        assertEquals(verified.toString(), List.of("CN=Vendor,O=HSM Signing Tests",
                "CN=HSM Signing Test rsa3072,O=HSM Signing Tests"),
                verified.stream().map(e -> e.signer().subject()).toList());
    }

    @Test
    public void aFailureInsideFailsTheContainerNamingTheInnerFileAndLeavesItUntouched() throws Exception {
        byte[] damaged = DeepSamples.pe(dir());
        damaged[0x3c] = (byte) 0xF0; // e_lfanew past the end: a DOS header without a usable PE header
        damaged[0x3d] = (byte) 0xFF;
        Path zip = DeepSamples.zip(dir().resolve("app.zip"), entries(
                "bin/good.exe", DeepSamples.pe(dir()),
                "bin/broken.exe", damaged), Set.of());
        String sha = Artifacts.sha256(zip);

        List<ReportEntry> entries = deepSign(zip, "dist/app.zip", InnerSelection.all());

        ReportEntry last = entries.get(entries.size() - 1);
        assertEquals(last.toString(), Status.FAILED, last.status());
        assertEquals("dist/app.zip", last.path());
        assertThat(last.reason(), containsString("dist/app.zip!/bin/broken.exe"));
        assertThat(last.reason(), containsString("left untouched"));
        assertTrue(entries.stream().anyMatch(e -> e.failed() && e.path().equals("dist/app.zip!/bin/broken.exe")));
        assertEquals(sha, Artifacts.sha256(zip));
        assertFalse(Files.exists(dir().resolve("app.zip.p7s")));
        assertNoLeftovers();
    }

    @Test
    public void aZip64ArchiveKeepsItsZip64Layout() throws Exception {
        Map<String, byte[]> many = new java.util.LinkedHashMap<>();
        many.put("bin/app.exe", DeepSamples.pe(dir()));
        for (int i = 0; i < 65_600; i++) {
            many.put("data/" + i + ".txt", text(Integer.toString(i)));
        }
        Path zip = DeepSamples.zip(dir().resolve("many.zip"), many, Set.of("bin/app.exe"));
        Map<String, byte[]> before = DeepSamples.rawEntries(zip);

        List<ReportEntry> entries = deepSign(zip, "many.zip", InnerSelection.of("bin/**", null, null));

        assertAllSigned(entries);
        assertEquals(entries.toString(), 2, entries.size());
        assertOsslsigncodeAccepts(DeepSamples.extract(zip, "bin/app.exe", dir().resolve("out")));
        Map<String, byte[]> after = DeepSamples.rawEntries(zip);
        assertEquals(before.keySet().stream().toList(), after.keySet().stream().toList());
        assertUntouched(before, after, "data/0.txt", "data/65535.txt", "data/65599.txt");
        byte[] bytes = Files.readAllBytes(zip);
        int endRecord = bytes.length - 22 - "made by the deep signing tests".length();
        assertEquals("a ZIP64 end locator before the end record", 0x07064b50, java.nio.ByteBuffer.wrap(bytes)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(endRecord - 20));
        assertArrayEquals(text("65599"), DeepSamples.read(zip, "data/65599.txt"));
        assertNoLeftovers();
    }

    @Test
    public void deepSigningRemovesTheWorkingDirectoriesOfKilledRuns() throws Exception {
        Path leftover = Files.createDirectories(dir().resolve(".hsmsign-deep-42/container"));
        Files.writeString(leftover.resolve("app.zip"), "half a container");
        for (Path p : List.of(leftover.resolve("app.zip"), leftover, leftover.getParent())) {
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        }
        Path zip = DeepSamples.zip(dir().resolve("app.zip"), entries("bin/app.exe", DeepSamples.pe(dir())), Set.of());

        assertAllSigned(deepSign(zip, "app.zip", InnerSelection.all()));

        assertFalse(Files.exists(leftover.getParent()));
        assertNoLeftovers();
    }

    @Test
    public void hostileContainersAreRefusedUntouched() throws Exception {
        byte[] zeros = new byte[20 << 20];
        Path bomb = DeepSamples.zip(dir().resolve("bomb.zip"), entries("zeros.bin", zeros, "a.exe",
                DeepSamples.pe(dir())), Set.of());
        Path escaping = DeepSamples.zip(dir().resolve("escape.zip"), entries("../evil.exe", DeepSamples.pe(dir())),
                Set.of());
        Path nestedEscape = DeepSamples.zip(dir().resolve("nested.zip"), entries("inner.zip",
                Files.readAllBytes(escaping)), Set.of());
        for (Path hostile : List.of(bomb, escaping, nestedEscape)) {
            String sha = Artifacts.sha256(hostile);
            List<ReportEntry> entries = deepSign(hostile, hostile.getFileName().toString(), InnerSelection.all());
            assertEquals(entries.toString(), 1, entries.size());
            assertEquals(entries.toString(), Status.FAILED, entries.get(0).status());
            assertThat(entries.get(0).reason(), containsString(hostile.getFileName().toString()));
            assertEquals(sha, Artifacts.sha256(hostile));
        }
        assertThat(deepSign(nestedEscape, "nested.zip", InnerSelection.all()).get(0).reason(),
                containsString("nested.zip!/inner.zip"));
        assertNoLeftovers();
    }

    @Test
    public void aSignedJarInsideIsNotOpenedButSignedAgain() throws Exception {
        Path jar = dir().resolve("vendor.jar");
        Files.write(jar, DeepSamples.jar(dir(), "jar"));
        EmbeddedSigning.sign(RSA.key(), jar, SigningOptions.defaults());
        Path zip = DeepSamples.zip(dir().resolve("app.zip"), entries("lib/vendor.jar", Files.readAllBytes(jar)),
                Set.of());

        List<ReportEntry> entries = deepSign(zip, "app.zip", InnerSelection.all());

        assertAllSigned(entries);
        assertEquals(List.of("app.zip!/lib/vendor.jar", "app.zip"), entries.stream().map(ReportEntry::path).toList());
        assertJarsignerAccepts(DeepSamples.extract(zip, "lib/vendor.jar", dir().resolve("x")));
    }

    @Test
    public void aFileThatIsNoContainerIsSignedAsUsual() throws Exception {
        Path exe = dir().resolve("app.exe");
        Files.write(exe, DeepSamples.pe(dir()));
        List<ReportEntry> entries = deepSign(exe, "app.exe", InnerSelection.all());
        assertAllSigned(entries);
        assertEquals(1, entries.size());
        assertArrayEquals(new byte[] {'M', 'Z'}, java.util.Arrays.copyOf(Files.readAllBytes(exe), 2));
    }

    private void assertOpensslAccepts(Path artifact) {
        ExternalTool.require("openssl");
        Path ca = TestPki.shared().writeCaPem(dir().resolve("ca.pem"));
        ToolResult result = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-content", artifact.toString(), "-in", artifact.resolveSibling(artifact.getFileName() + ".p7s")
                        .toString(), "-CAfile", ca.toString(), "-purpose", "any", "-out", "/dev/null"));
        assertEquals(result.output(), 0, result.exitCode());
    }

    private void assertNoLeftovers() throws Exception {
        try (Stream<Path> files = Files.list(dir())) {
            List<String> leftovers = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".hsmsign-")).toList();
            assertEquals(List.of(), leftovers);
        }
    }
}
