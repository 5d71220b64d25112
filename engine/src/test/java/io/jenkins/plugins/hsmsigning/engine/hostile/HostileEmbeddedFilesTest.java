package io.jenkins.plugins.hsmsigning.engine.hostile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * Hostile and malformed files of the embedded formats (Authenticode's PE, MSI, CAB, CAT, APPX, NuGet, scripts; JAR),
 * made by the tests, one table row each: the file, how it is made, and what signing (with the format asked for
 * explicitly, and with "auto") and verifying must report. For every row and every operation: the report entry is
 * FAILED with the expected failure code and one sentence naming the file and the problem (no line break, no Java
 * exception text); the artifact's hash is unchanged; no file appears or changes anywhere under the case's directory
 * (no {@code .hsmsign-*} temporary file, no extracted entry), except, for the two rows where "auto" rightly signs
 * a detached CMS signature, that signature in the output directory; and nothing is written where escaping entry
 * names point. How much work a hostile file may cost is bounded by counts, not by time: each refusal names the limit
 * it hit (stated sizes and ratios are checked before anything is expanded, expansion stops at the stated size).
 */
@RunWith(Parameterized.class)
public class HostileEmbeddedFilesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    /** Where an absolute entry name in the corpus points; nothing may ever be written there. */
    private static final Path ABSOLUTE_TARGET = Path.of("/tmp/hsmsign-hostile-abs.txt");

    private static SigningKey key;
    private static byte[] signedPe;

    /** How a row's file is made in a directory, under a name. */
    interface Maker {
        Path make(Path dir, String name) throws Exception;
    }

    /** One hostile file; {@code autoCms}: "auto" signs it with a detached CMS signature instead of refusing it. */
    record Row(String file, String how, Format format, Maker maker, String signs, String autoSigns, boolean autoCms,
            Failure verifyFailure, String verifies) {

        @Override
        public String toString() {
            return file;
        }
    }

    @Parameter
    public Row row;

    @BeforeClass
    public static void open() throws Exception {
        key = TestKeys.open(SoftHsmToken.RSA3072);
        HostileCorpus.scratch = tmp.newFolder("scratch").toPath();
        Path pe = AuthenticodeSamples.PE.copyTo(HostileCorpus.scratch);
        List<ReportEntry> signed = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.AUTHENTICODE)))
                .sign(pe, "hello.exe");
        assertEquals(signed.toString(), Status.SIGNED, signed.get(0).status());
        signedPe = Files.readAllBytes(pe);
        Files.delete(pe);
    }

    @AfterClass
    public static void close() {
        if (key != null) { // null when @BeforeClass skipped the class
            key.close();
        }
    }

    @Parameters(name = "{0}")
    public static List<Row> rows() {
        Format a = Format.AUTHENTICODE;
        Format j = Format.JAR;
        List<Row> rows = new ArrayList<>();
        // empty files of every embedded kind; scripts get CMS from "auto" (auto never signs scripts in place)
        for (String n : List.of("empty.exe", "empty.msi", "empty.cab", "empty.cat", "empty.appx", "empty.nupkg",
                "empty.jar")) {
            rows.add(refused(n, "0 bytes", n.endsWith(".jar") ? j : a, HostileCorpus::empty, "is empty (0 bytes)",
                    Failure.NO_SIGNATURE, "No signature found"));
        }
        rows.add(new Row("empty.ps1", "0 bytes", a, HostileCorpus::empty, "is empty (0 bytes)", null, true,
                Failure.NO_SIGNATURE, "No signature found"));

        // PE
        rows.add(refused("pe-header-only.exe", "the first 64 bytes of hello.exe: e_lfanew points past the end", a,
                (d, n) -> HostileCorpus.truncatedTo(AuthenticodeSamples.PE, d, n, 0x40),
                "points to a PE header at offset 128, past the end of the file"));
        rows.add(refused("pe-truncated.exe", "the first half of hello.exe", a,
                (d, n) -> HostileCorpus.truncated(AuthenticodeSamples.PE, d, n, 50), "runs past the end of the file"));
        rows.add(refused("pe-elfanew-past-end.exe", "e_lfanew = 0x7FFFFFF0", a,
                (d, n) -> HostileCorpus.sample(AuthenticodeSamples.PE, d).u32(0x3C, 0x7FFF_FFF0L).write(d.resolve(n)),
                "points to a PE header at offset 2147483632, past the end of the file"));
        rows.add(refused("pe-section-past-end.exe", "first section's PointerToRawData past the end", a,
                HostileCorpus::peSectionPastEnd, "section '.text' (6144 bytes at offset"));
        rows.add(refused("pe-section-size-past-end.exe", "last section's SizeOfRawData = 0x7FFF0000", a,
                HostileCorpus::peSectionSizePastEnd, "(2147418112 bytes at offset"));
        rows.add(refused("pe-overlapping-sections.exe", "second section's raw data moved onto the first's", a,
                HostileCorpus::peOverlappingSections, "overlap in the file"));
        rows.add(refused("pe-too-many-sections.exe", "NumberOfSections = 65535", a, HostileCorpus::peTooManySections,
                "states 65535 sections"));
        rows.add(refused("pe-cert-table-past-eof.exe", "security directory: 4096 bytes beyond the end of the file", a,
                (d, n) -> HostileCorpus.peCertificateTable(d, n, -1, 0x1000),
                "certificate table (4096 bytes at offset"));
        rows.add(refused("pe-cert-table-over-headers.exe", "security directory: offset 0x40, over the headers", a,
                (d, n) -> HostileCorpus.peCertificateTable(d, n, 0x40, 0x200), "overlaps its headers or sections"));
        rows.add(refused("pe-broken-signature.exe", "a PKCS#7 WIN_CERTIFICATE of random bytes", a,
                HostileCorpus::peGarbageSignature, "carries a signature that cannot be read"));
        rows.add(refused("pe-signed-truncated.exe", "a signed hello.exe cut 100 bytes into its signature", a,
                (d, n) -> Patch.of(Files.write(d.resolve(n), signedPe)).truncate(signedPe.length - 100)
                        .write(d.resolve(n)), "certificate table"));

        // OLE / MSI
        rows.add(refused("msi-truncated.msi", "the first half of hello.msi", a,
                (d, n) -> HostileCorpus.truncated(AuthenticodeSamples.MSI, d, n, 50),
                "its directory lies past the end of the file"));
        rows.add(refused("msi-header-only.msi", "the 512-byte OLE header of hello.msi", a,
                (d, n) -> HostileCorpus.truncatedTo(AuthenticodeSamples.MSI, d, n, 512),
                "its directory lies past the end of the file"));
        rows.add(new Row("ole-not-msi.msi", "hello.msi with Word's root class ID: a valid OLE file, not an installer",
                a, HostileCorpus::oleNotMsi, "is not a file authenticode can sign", "is named like a Windows Installer "
                + "package (.msi), but its content is a compound (OLE) file that is not an installer", false,
                Failure.NO_SIGNATURE, "No signature found"));
        rows.add(refused("ole-directory-past-end.msi", "first directory sector = 0xFFFFF0", a,
                HostileCorpus::oleDirectoryPastEnd, "its directory lies past the end of the file"));
        rows.add(refused("ole-garbage.msi", "the OLE signature, then random bytes", a, HostileCorpus::oleGarbage,
                "invalid sector size"));

        // CAB
        rows.add(refused("cab-truncated.cab", "the first half of hello.cab", a,
                (d, n) -> HostileCorpus.truncated(AuthenticodeSamples.CAB, d, n, 50), "lies about its size"));
        rows.add(refused("cab-size-larger.cab", "cbCabinet = 1 MiB", a, (d, n) -> HostileCorpus.cab(d, n, 8, 0x10_0000),
                "its header states 1048576 bytes"));
        rows.add(refused("cab-size-smaller.cab", "cbCabinet = 40", a, (d, n) -> HostileCorpus.cab(d, n, 8, 40),
                "its header states 40 bytes"));
        rows.add(refused("cab-files-past-end.cab", "coffFiles = 0x7FFFFFF0", a,
                (d, n) -> HostileCorpus.cab(d, n, 16, 0x7FFF_FFF0L), "its file table (offset 2147483632)"));
        rows.add(refused("cab-folder-data-past-end.cab", "CFFOLDER.coffCabStart = 0x7FFFFFF0", a,
                (d, n) -> HostileCorpus.cab(d, n, 36, 0x7FFF_FFF0L), "the data of folder 0"));
        rows.add(refused("cab-many-folders.cab", "cFolders = 65535", a, (d, n) -> HostileCorpus.cab16(d, n, 26, 0xFFFF),
                "its 65535 folders run past the end"));
        rows.add(refused("cab-escaping-name.cab", "the file renamed ..\\evil.tx", a, HostileCorpus::cabEscapingName,
                "climbs out with '..'"));

        // CAT
        rows.add(refused("cat-truncated.cat", "the first 60 % of hello.cat", a,
                (d, n) -> HostileCorpus.truncated(AuthenticodeSamples.CAT, d, n, 60), "security catalog (CAT)"));

        // APPX and NuGet
        rows.add(refused("appx-truncated.appx", "the first 60 % of hello.appx", a,
                (d, n) -> HostileCorpus.truncated(AuthenticodeSamples.APPX, d, n, 60),
                "its end of central directory record is missing"));
        rows.add(refused("nupkg-truncated.nupkg", "the first 60 % of hello.nupkg", a,
                (d, n) -> HostileCorpus.truncated(AuthenticodeSamples.NUGET, d, n, 60),
                "its end of central directory record is missing"));
        rows.add(refused("appx-size-past-eof.appx", "an entry stating 0x70000000 stored bytes in both headers", a,
                (d, n) -> pastEnd(HostileCorpus.appx()).write(d.resolve(n)), "run past the end of the entries"));
        rows.add(refused("appx-local-central-mismatch.appx", "local header names hello.txt other.txt", a,
                (d, n) -> {
                    RawZip z = HostileCorpus.appx();
                    z.add("hello.txt", "hello").localName = "other.txt";
                    return z.write(d.resolve(n));
                }, "its local header names it 'other.txt'"));
        rows.add(refused("appx-escaping-name.appx", "an entry ../evil.txt", a, (d, n) -> {
            RawZip z = HostileCorpus.appx();
            z.add("../evil.txt", "evil");
            return z.write(d.resolve(n));
        }, "has an entry named '../evil.txt' that climbs out"));
        rows.add(refused("appx-duplicate-manifest.appx", "AppxManifest.xml twice", a, (d, n) -> {
            RawZip z = HostileCorpus.appx();
            z.add("AppxManifest.xml", "<Package/>").stored();
            return z.write(d.resolve(n));
        }, "has two entries named 'AppxManifest.xml'"));
        rows.add(refused("appx-case-duplicate.appx", "AppxManifest.xml and APPXMANIFEST.XML (OPC names ignore case)", a,
                (d, n) -> {
                    RawZip z = HostileCorpus.appx();
                    z.add("APPXMANIFEST.XML", "<Package/>").stored();
                    return z.write(d.resolve(n));
                }, "has two entries named 'AppxManifest.xml' and 'APPXMANIFEST.XML'"));
        rows.add(refused("appx-manifest-bomb.appx", "AppxManifest.xml: 64 MiB of zeros deflated to 64 KiB", a,
                (d, n) -> {
                    RawZip z = new RawZip();
                    z.add("[Content_Types].xml", "<Types/>");
                    z.zeros("AppxManifest.xml", 64L << 20);
                    return z.write(d.resolve(n));
                }, "looks like a compression bomb: entry 'AppxManifest.xml' would expand from"));
        rows.add(refused("nupkg-sizes-differ.nupkg", "local header states 4 bytes, central directory 64", a,
                (d, n) -> {
                    RawZip z = HostileCorpus.nuget();
                    z.add("lib/a.dll", new byte[64]).localSize = 4L;
                    return z.write(d.resolve(n));
                }, "its local header and central directory state different sizes"));
        rows.add(refused("nupkg-central-dir-past-eof.nupkg", "end record: central directory at 0x7FFF0000", a,
                (d, n) -> {
                    RawZip z = HostileCorpus.nuget();
                    z.centralDirectoryOffset = 0x7FFF_0000L;
                    return z.write(d.resolve(n));
                }, "its central directory (125 bytes at offset 2147418112) runs past the end of the file"));
        rows.add(refused("nupkg-absolute-name.nupkg", "an entry " + ABSOLUTE_TARGET, a, (d, n) -> {
            RawZip z = HostileCorpus.nuget();
            z.add(ABSOLUTE_TARGET.toString(), "evil");
            return z.write(d.resolve(n));
        }, "that is an absolute path"));

        // JAR and ZIP
        rows.add(refused("jar-truncated.jar", "the first 60 % of a JAR", j, (d, n) -> cut(RawZip.jar().write(d.resolve(n))),
                "its end of central directory record is missing"));
        rows.add(refused("jar-no-end-record.jar", "a JAR without its end of central directory record", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.omitEnd = true;
            return z.write(d.resolve(n));
        }, "its end of central directory record is missing"));
        rows.add(escaping("jar-dotdot.jar", "../x", "climbs out with '..'"));
        rows.add(escaping("jar-nested-dotdot.jar", "com/../../x", "climbs out with '..'"));
        rows.add(escaping("jar-absolute.jar", ABSOLUTE_TARGET.toString(), "is an absolute path"));
        rows.add(escaping("jar-drive-letter.jar", "C:\\x", "starts with a drive letter"));
        rows.add(escaping("jar-backslash-dotdot.jar", "..\\x", "climbs out with '..'"));
        rows.add(escaping("jar-nul-in-name.jar", "a\0.class", "contains a NUL character"));
        rows.add(refused("plain-zip-dotdot.zip", "a ZIP without manifest, entry ../x: auto must not fall back to CMS", j,
                (d, n) -> {
                    RawZip z = new RawZip();
                    z.add("../x", "evil");
                    return z.write(d.resolve(n));
                }, "has an entry named '../x' that climbs out", Failure.MALFORMED, "climbs out"));
        rows.add(refused("jar-duplicate-entry.jar", "com/example/Hello.class twice", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.add("com/example/Hello.class", "other");
            return z.write(d.resolve(n));
        }, "has two entries named 'com/example/Hello.class'"));
        rows.add(refused("jar-duplicate-manifest.jar", "META-INF/MANIFEST.MF twice, the second with a Main-Class", j,
                (d, n) -> {
                    RawZip z = RawZip.jar();
                    z.add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: Evil\r\n\r\n");
                    return z.write(d.resolve(n));
                }, "has two entries named 'META-INF/MANIFEST.MF'"));
        rows.add(refused("jar-manifest-digest-mismatch.jar", "the manifest states the empty file's SHA-256 for a.txt",
                j, (d, n) -> manifestJar("a.txt", "not empty").write(d.resolve(n)),
                "the digest it states for 'a.txt' is not that entry's", Failure.NO_SIGNATURE, "No signature found"));
        rows.add(refused("jar-manifest-names-missing-entry.jar", "the manifest states a digest for gone.txt", j,
                (d, n) -> manifestJar("gone.txt", null).write(d.resolve(n)),
                "it states a digest for 'gone.txt', which the archive does not contain", Failure.NO_SIGNATURE,
                "No signature found"));
        rows.add(refused("jar-garbage-signature-block.jar", "META-INF/OTHER.SF and an OTHER.RSA of garbage", j,
                (d, n) -> {
                    RawZip z = RawZip.jar();
                    z.add("META-INF/OTHER.SF", "Signature-Version: 1.0\r\nSHA-256-Digest-Manifest: "
                            + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n");
                    z.add("META-INF/OTHER.RSA", new byte[] {0x30, (byte) 0x82, 0x7F, (byte) 0xFF, 1, 2, 3});
                    return z.write(d.resolve(n));
                }, "carries a signature block 'META-INF/OTHER.RSA' that cannot be read", Failure.SIGNATURE_INVALID,
                "no entry verifies"));
        rows.add(refused("jar-size-past-eof.jar", "an entry stating 0x70000000 stored bytes in both headers", j,
                (d, n) -> pastEnd(RawZip.jar()).write(d.resolve(n)), "run past the end of the entries"));
        rows.add(refused("jar-local-central-mismatch.jar", "local header names a.txt b.txt", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.add("a.txt", "a").localName = "b.txt";
            return z.write(d.resolve(n));
        }, "its local header names it 'b.txt'"));
        rows.add(refused("jar-overlapping-entries.jar", "two central directory entries share one local entry", j,
                (d, n) -> {
                    RawZip z = RawZip.jar();
                    z.alias("com/example/Other.class", 1);
                    return z.write(d.resolve(n));
                }, "whose data overlap"));
        rows.add(refused("jar-crc-mismatch.jar", "a.txt with a wrong CRC-32 in both headers", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.add("a.txt", "a").crc = 1234L;
            return z.write(d.resolve(n));
        }, "does not match its CRC-32 checksum"));
        rows.add(refused("jar-encrypted-entry.jar", "a.txt flagged as encrypted", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.add("a.txt", "a").flags = 1;
            return z.write(d.resolve(n));
        }, "has an encrypted entry 'a.txt'"));
        rows.add(refused("jar-unknown-method.jar", "a.txt 'compressed' with method 12 (bzip2)", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.add("a.txt", "a").method = 12;
            return z.write(d.resolve(n));
        }, "compressed with method 12"));
        rows.add(refused("jar-entry-count-lies.jar", "the end record states 1 entry of 3", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.add("a.txt", "a");
            z.entryCount = 1;
            return z.write(d.resolve(n));
        }, "holds more than the 1 entries its end record states"));
        rows.add(refused("jar-size-lie-bomb.jar", "256 MiB of zeros, both headers stating 1000 bytes", j, (d, n) -> {
            RawZip z = RawZip.jar();
            RawZip.Entry e = z.zeros("lie.bin", 256L << 20);
            e.centralSize = 1000L;
            e.localSize = 1000L;
            return z.write(d.resolve(n));
        }, "it expands to more than the 1000 bytes it states"));
        rows.add(refused("jar-manifest-bomb.jar", "a manifest of 512 MiB of zeros stating 100 bytes", j, (d, n) -> {
            RawZip z = new RawZip();
            RawZip.Entry e = z.zeros("META-INF/MANIFEST.MF", 512L << 20);
            e.centralSize = 100L;
            e.localSize = 100L;
            z.add("a.txt", "a");
            return z.write(d.resolve(n));
        }, "entry 'META-INF/MANIFEST.MF': it expands to more than the 100 bytes"));
        rows.add(refused("jar-bomb.jar", "1 GiB of zeros deflated to 1 MiB, streamed to disk", j, (d, n) -> {
            RawZip z = RawZip.jar();
            z.zeros("zeros.bin", HostileCorpus.BOMB);
            return z.write(d.resolve(n));
        }, "would expand from 1043638 to 1073741824 bytes, more than 100 times"));
        return rows;
    }

    @Test
    public void failsCleanly() throws Exception {
        Path root = tmp.newFolder(row.file().replace('.', '_')).toPath();
        Path work = Files.createDirectories(root.resolve("work"));
        Path art = Files.createDirectories(work.resolve("art"));
        Path out = Files.createDirectories(work.resolve("out"));
        Path file = row.maker().make(art, row.file());
        String name = "art/" + row.file();
        String hash = Artifacts.sha256(file);
        TreeMap<String, String> before = tree(root);

        for (boolean auto : new boolean[] {false, true}) {
            SigningOptions options = SigningOptions.defaults().outputDirectory(out)
                    .formats(auto ? Set.of() : Set.of(row.format()));
            List<ReportEntry> entries = new ArtifactSigner(key, options).sign(file, name);
            String what = row.file() + (auto ? " (auto)" : " (" + row.format().id() + ")");
            assertEquals(what + ": " + entries, 1, entries.size());
            ReportEntry entry = entries.get(0);
            TreeMap<String, String> expected = new TreeMap<>(before);
            if (auto && row.autoCms()) {
                assertEquals(what + ": " + entry, Status.SIGNED, entry.status());
                assertEquals(what, "cms", entry.format());
                expected.put("work/out/art", "dir");
                expected.put("work/out/" + name + ".p7s", tree(root).get("work/out/" + name + ".p7s"));
            } else {
                assertFailed(what, entry, Failure.INPUT_ERROR, name, auto && row.autoSigns() != null ? row.autoSigns()
                        : row.signs());
            }
            assertEquals(what + ": artifact unchanged", hash, Artifacts.sha256(file));
            assertEquals(what + ": nothing written but the signature asked for", expected, tree(root));
        }
        TreeMap<String, String> signed = tree(root);
        List<ReportEntry> verified = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared()
                .caCertificate()))).verify(file, name);
        assertEquals(row.file() + " (verify): " + verified, 1, verified.size());
        assertFailed(row.file() + " (verify)", verified.get(0), row.verifyFailure(), name, row.verifies());
        assertEquals(row.file() + " (verify): artifact unchanged", hash, Artifacts.sha256(file));
        assertEquals(row.file() + " (verify): nothing written", signed, tree(root));
        assertFalse("nothing written where an absolute entry name points", Files.exists(ABSOLUTE_TARGET));
        Files.delete(file);
    }

    private static void assertFailed(String what, ReportEntry entry, Failure failure, String name, String fragment) {
        assertEquals(what + ": " + entry, Status.FAILED, entry.status());
        assertEquals(what + ": " + entry.reason(), failure, entry.failure());
        String reason = entry.reason();
        assertThat(what, reason, containsString(name));
        assertThat(what, reason, containsString(fragment));
        assertFalse(what + ": one line: " + reason, reason.contains("\n") || reason.contains("\r"));
        assertFalse(what + ": no Java exception text: " + reason, reason.contains("Exception")
                || reason.contains("java.") || reason.contains("\tat "));
        assertFalse(what + ": one sentence: " + reason, reason.matches(".*\\.\\s+[A-Z].*"));
        assertTrue(what + ": ends as a sentence: " + reason, reason.endsWith("."));
        assertTrue(what + ": short: " + reason, reason.length() < 400);
    }

    /** Every file and directory under {@code root}, relative, with its SHA-256 (directories: "dir"). */
    private static TreeMap<String, String> tree(Path root) throws Exception {
        TreeMap<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String relative = root.relativize(p).toString();
                assertFalse("temporary file left behind: " + relative, p.getFileName().toString()
                        .startsWith(AtomicFiles.TEMP_PREFIX));
                tree.put(relative, Files.isDirectory(p) ? "dir" : Artifacts.sha256(p));
            }
        }
        return tree;
    }

    private static Row refused(String file, String how, Format format, Maker maker, String fragment) {
        return refused(file, how, format, maker, fragment, Failure.MALFORMED, fragment);
    }

    private static Row refused(String file, String how, Format format, Maker maker, String fragment,
            Failure verifyFailure, String verifies) {
        return new Row(file, how, format, maker, fragment, null, false, verifyFailure, verifies);
    }

    private static Row escaping(String file, String entry, String fragment) {
        return refused(file, "a JAR with an entry " + entry.replace("\0", "\\0"), Format.JAR, (d, n) -> {
            RawZip z = RawZip.jar();
            z.add(entry, "evil");
            return z.write(d.resolve(n));
        }, fragment);
    }

    /** A manifest with a per-entry SHA-256 digest (of the empty string) for {@code entry}, holding {@code text}. */
    private static RawZip manifestJar(String entry, String text) {
        RawZip z = new RawZip();
        z.add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\nName: " + entry + "\r\nSHA-256-Digest: "
                + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n");
        z.add(text == null ? "other.txt" : entry, text == null ? "x" : text);
        return z;
    }

    /** A stored entry whose headers both state far more bytes than follow. */
    private static RawZip pastEnd(RawZip z) {
        RawZip.Entry e = z.add("big.bin", new byte[100]).stored();
        e.centralCompressedSize = 0x7000_0000L;
        e.localCompressedSize = 0x7000_0000L;
        e.centralSize = 0x7000_0000L;
        e.localSize = 0x7000_0000L;
        return z;
    }

    private static Path cut(Path file) {
        Patch p = Patch.of(file);
        return p.truncate(p.length() * 60 / 100).write(file);
    }
}
