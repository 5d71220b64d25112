package io.jenkins.plugins.hsmsigning.engine.jar;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.authenticode.EmbeddedSigning;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class JarFormatTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static SigningKey rsa;
    private static SigningKey ec;
    private static LoopbackTsa tsa;

    @BeforeClass
    public static void open() throws Exception {
        rsa = TestKeys.open(SoftHsmToken.RSA3072);
        ec = TestKeys.open(SoftHsmToken.ECP256);
        tsa = LoopbackTsa.start();
    }

    @AfterClass
    public static void close() {
        if (rsa != null) { // null when @BeforeClass skipped the class
            rsa.close();
        }
        if (ec != null) {
            ec.close();
        }
        if (tsa != null) {
            tsa.close();
        }
    }

    @Test
    public void jarWarAndEarSignedOnTheTokenAreAcceptedByJarsignerAndTheEngine() throws Exception {
        for (SigningKey key : List.of(rsa, ec)) {
            for (String extension : List.of("jar", "war", "ear")) {
                Path dir = tmp.newFolder().toPath();
                Path file = JarSamples.archive(dir, extension);
                assertEquals(Format.JAR, Formats.recognize(file).format());
                ReportEntry signed = EmbeddedSigning.sign(key, file, SigningOptions.defaults()
                        .timestamps(EmbeddedSigning.tsa(true, tsa.url())));
                assertEquals(signed.reason(), Status.SIGNED, signed.status());
                assertEquals("jar", signed.format());
                assertEquals(tsa.url(), signed.timestamp().authority());

                ReportEntry verified = single(EmbeddedSigning.verify(file));
                assertEquals(verified.reason(), Status.VERIFIED, verified.status());
                assertEquals("SHA-256", verified.digestAlgorithm());
                assertEquals(key == rsa ? "SHA256withRSA" : "SHA256withECDSA", verified.signatureAlgorithm());
                assertEquals(key == rsa ? "RSA-3072 with SHA-256" : "ECDSA P-256 with SHA-256", verified.algorithm());
                assertNotNull(verified.timestamp());

                ToolResult result = JarSamples.jarsigner(file);
                assertEquals(result.output(), 0, result.exitCode());
                assertThat(result.output(), containsString("jar verified."));
                assertThat(result.output(), containsString("Timestamped by"));
            }
        }
    }

    @Test
    public void theReportHashesTheJarBeforeAndAfterAndItKeepsItsPermissions() throws Exception {
        Path file = JarSamples.archive(tmp.getRoot().toPath(), "jar");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        String original = Artifacts.sha256(file);

        ReportEntry signed = EmbeddedSigning.sign(rsa, file, SigningOptions.defaults());

        assertEquals(signed.reason(), Status.SIGNED, signed.status());
        assertEquals(original, signed.sha256Before());
        assertEquals(Artifacts.sha256(file), signed.sha256After());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void digestSignerNameAndNoTimestamp() throws Exception {
        Path file = JarSamples.archive(tmp.getRoot().toPath(), "jar");
        ReportEntry signed = EmbeddedSigning.sign(rsa, file, SigningOptions.defaults().digest(DigestAlgorithm.SHA512)
                .signerName("release"));
        assertEquals(signed.reason(), Status.SIGNED, signed.status());
        assertNull(signed.timestamp());
        assertEquals(List.of(), signed.warnings());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertNotNull(zip.getEntry("META-INF/RELEASE.SF"));
            assertNotNull(zip.getEntry("META-INF/RELEASE.RSA"));
        }
        ReportEntry verified = single(EmbeddedSigning.verify(file));
        assertEquals(verified.reason(), Status.VERIFIED, verified.status());
        assertEquals("SHA512withRSA", verified.signatureAlgorithm());
        assertThat(verified.warnings().get(0), containsString("not timestamped"));
        ToolResult result = JarSamples.jarsigner(file);
        assertEquals(result.output(), 0, result.exitCode());
        assertThat(result.output(), containsString("jar verified."));
    }

    @Test
    public void rsaPssIsAcceptedByJarsignerWithTheDigestTheJdkUsesForPss() throws Exception {
        Path file = JarSamples.archive(tmp.getRoot().toPath(), "jar");
        ReportEntry refused = EmbeddedSigning.sign(rsa, file, SigningOptions.defaults().pss(true)
                .digest(DigestAlgorithm.SHA384));
        assertEquals(Failure.CONFIGURATION, refused.failure());
        assertThat(refused.reason(), containsString("SHA-256"));
        ReportEntry signed = EmbeddedSigning.sign(rsa, file, SigningOptions.defaults().pss(true));
        assertEquals(signed.reason(), Status.SIGNED, signed.status());
        ReportEntry verified = single(EmbeddedSigning.verify(file));
        assertEquals(verified.reason(), Status.VERIFIED, verified.status());
        assertEquals("SHA256withRSASSA-PSS", verified.signatureAlgorithm());
        assertEquals(signed.signatureAlgorithm(), verified.signatureAlgorithm());
        ToolResult result = JarSamples.jarsigner(file);
        assertEquals(result.output(), 0, result.exitCode());
    }

    @Test
    public void aChangedEntryIsDetected() throws Exception {
        Path file = JarSamples.archive(tmp.getRoot().toPath(), "jar");
        EmbeddedSigning.sign(rsa, file, SigningOptions.defaults());
        JarSamples.rewrite(file, "com/example/messages.properties", false);
        ReportEntry entry = single(EmbeddedSigning.verify(file));
        assertEquals(entry.reason(), Failure.CONTENT_MODIFIED, entry.failure());
        assertThat(entry.reason(), containsString("hello.jar"));
        ToolResult result = JarSamples.jarsigner(file);
        assertNotEquals(result.output(), 0, result.exitCode());
    }

    @Test
    public void anAddedEntryIsDetected() throws Exception {
        Path file = JarSamples.archive(tmp.getRoot().toPath(), "jar");
        EmbeddedSigning.sign(ec, file, SigningOptions.defaults());
        JarSamples.rewrite(file, "com/example/Added.class", true);
        ReportEntry entry = single(EmbeddedSigning.verify(file));
        assertEquals(entry.reason(), Failure.CONTENT_MODIFIED, entry.failure());
        assertThat(entry.reason(), containsString("com/example/Added.class"));
        ToolResult result = JarSamples.jarsigner(file);
        assertNotEquals(result.output(), 0, result.exitCode());
    }

    @Test
    public void anUnsignedJarHasNoSignature() {
        Path file = JarSamples.archive(tmp.getRoot().toPath(), "jar");
        assertEquals(Failure.NO_SIGNATURE, single(EmbeddedSigning.verify(file)).failure());
    }

    @Test
    public void failsOverAndAppliesTheTimestampPolicy() throws Exception {
        try (LoopbackTsa broken = LoopbackTsa.start()) {
            broken.mode(LoopbackTsa.Mode.HTTP_ERROR);
            Path failover = JarSamples.archive(tmp.newFolder().toPath(), "jar");
            ReportEntry signed = EmbeddedSigning.sign(rsa, failover, SigningOptions.defaults().timestamps(
                    EmbeddedSigning.tsa(true, broken.url(), tsa.url())));
            assertEquals(signed.reason(), tsa.url(), signed.timestamp().authority());

            Path required = JarSamples.archive(tmp.newFolder().toPath(), "war");
            String before = Artifacts.sha256(required);
            ReportEntry refused = EmbeddedSigning.sign(rsa, required, SigningOptions.defaults().timestamps(
                    EmbeddedSigning.tsa(true, broken.url())));
            assertEquals(Failure.TIMESTAMP_MISSING, refused.failure());
            assertThat(refused.reason(), containsString(broken.url()));
            assertEquals(before, Artifacts.sha256(required));

            ReportEntry optional = EmbeddedSigning.sign(rsa, required, SigningOptions.defaults().timestamps(
                    EmbeddedSigning.tsa(false, broken.url())));
            assertEquals(optional.reason(), Status.SIGNED, optional.status());
            assertNull(optional.timestamp());
            assertThat(optional.warnings().get(0), containsString("not timestamped"));
        }
    }

    @Test
    public void otherFilesAreRefusedAndLeftUntouched() throws Exception {
        Path dir = tmp.getRoot().toPath();
        Path text = Files.writeString(dir.resolve("notes.txt"), "not an archive\n", StandardCharsets.UTF_8);
        Path appx = AuthenticodeSamples.APPX.copyTo(dir);
        for (Path file : List.of(text, appx)) {
            String before = Artifacts.sha256(file);
            ReportEntry entry = EmbeddedSigning.sign(rsa, file, SigningOptions.defaults().formats(Set.of(Format.JAR)));
            assertEquals(Failure.INPUT_ERROR, entry.failure());
            assertThat(entry.reason(), containsString(file.getFileName().toString()));
            assertEquals(before, Artifacts.sha256(file));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".hsmsign-")));
        }
    }

    @Test
    public void anInvalidSignerNameIsAConfigurationError() throws Exception {
        Path file = JarSamples.archive(tmp.getRoot().toPath(), "jar");
        ReportEntry entry = EmbeddedSigning.sign(rsa, file, SigningOptions.defaults().signerName("bad name"));
        assertEquals(Failure.CONFIGURATION, entry.failure());
        assertThat(entry.reason(), containsString("bad name"));
    }

    private static ReportEntry single(List<ReportEntry> entries) {
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }
}
