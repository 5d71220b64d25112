package io.jenkins.plugins.hsmsigning.engine.restamp;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.authenticode.EmbeddedSigning;
import io.jenkins.plugins.hsmsigning.engine.deep.ZipLayout;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.jar.JarSamples;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.restamp.Restamping.Restamped;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Timestamps added later to Authenticode signatures made by osslsigncode and JAR signatures made by jarsigner, both
 * without a timestamp, checked afterwards by the same tools.
 */
public class RestampingTest {

    private static final String PASSWORD = "changeit";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private LoopbackTsa tsa;
    private Path dir;

    @Before
    public void start() throws Exception {
        tsa = LoopbackTsa.start();
        dir = tmp.newFolder().toPath();
    }

    @After
    public void stop() {
        if (tsa != null) {
            tsa.close();
        }
    }

    @Test
    public void authenticodeSignaturesOfEveryKindOsslsigncodeSignsGetATimestampItAccepts() throws Exception {
        Path key = softwareKey(new Date(System.currentTimeMillis() + Duration.ofDays(365).toMillis()));
        for (AuthenticodeSamples sample : List.of(AuthenticodeSamples.PE, AuthenticodeSamples.MSI,
                AuthenticodeSamples.CAB, AuthenticodeSamples.CAT, AuthenticodeSamples.PS1)) {
            Path file = osslsign(sample.copyTo(tmp.newFolder().toPath()), key);
            assertThat(sample.toString(), EmbeddedSigning.osslsigncode(file).output(),
                    containsString("Timestamp is not available"));

            List<Restamped> results = restamping().restamp(file, sample.fileName());

            assertEquals(sample.toString(), 1, results.size());
            assertTrue(sample.toString(), results.get(0).changed());
            ToolResult verified = EmbeddedSigning.osslsigncode(file);
            assertEquals(sample + ": " + verified.output(), 0, verified.exitCode());
            assertThat(sample.toString(), verified.output(), containsString("Timestamp Server Signature verification: ok"));
            assertThat(sample.toString(), verified.output(), containsString("Timestamp time:"));
            ReportEntry entry = EmbeddedSigning.verify(file).get(0);
            assertEquals(sample + ": " + entry.reason(), Status.VERIFIED, entry.status());
            assertNotNull(sample.toString(), entry.timestamp());
        }
    }

    @Test
    public void everyNestedSignatureGetsOne() throws Exception {
        Path key = softwareKey(new Date(System.currentTimeMillis() + Duration.ofDays(365).toMillis()));
        Path exe = osslsign(AuthenticodeSamples.PE.copyTo(dir), key);
        Path nested = exe.resolveSibling("nested.exe");
        ToolResult nesting = ExternalTool.run(List.of("osslsigncode", "sign", "-nest", "-certs",
                key.resolve("cert.pem").toString(), "-key", key.resolve("key.pem").toString(), "-h", "sha512",
                "-in", exe.toString(), "-out", nested.toString()));
        assertEquals(nesting.output(), 0, nesting.exitCode());

        assertTrue(restamping().restamp(nested, "nested.exe").get(0).changed());

        ToolResult verified = EmbeddedSigning.osslsigncode(nested);
        assertEquals(verified.output(), 0, verified.exitCode());
        assertEquals(verified.output(), 2, verified.output().split("Timestamp Server Signature verification: ok",
                -1).length - 1);
        List<ReportEntry> entries = EmbeddedSigning.verify(nested);
        assertEquals(2, entries.size());
        for (ReportEntry entry : entries) {
            assertEquals(entry.reason(), Status.VERIFIED, entry.status());
            assertNotNull(entry.timestamp());
        }
    }

    @Test
    public void nugetAndMsixPackagesSignedWithoutATimestampGetOne() throws Exception {
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            for (AuthenticodeSamples sample : List.of(AuthenticodeSamples.NUGET, AuthenticodeSamples.MSIX)) {
                Path file = sample.copyTo(tmp.newFolder().toPath());
                ReportEntry signed = EmbeddedSigning.sign(key, file, SigningOptions.defaults()
                        .formats(Set.of(Format.AUTHENTICODE)));
                assertEquals(signed.reason(), Status.SIGNED, signed.status());
                assertNull(signed.timestamp());

                assertTrue(sample.toString(), restamping().restamp(file, sample.fileName()).get(0).changed());

                ReportEntry verified = EmbeddedSigning.verify(file).get(0);
                assertEquals(sample + ": " + verified.reason(), Status.VERIFIED, verified.status());
                assertNotNull(sample.toString(), verified.timestamp());
            }
        }
    }

    @Test
    public void aStampedFileIsLeftAloneAndATamperedOneIsNotStamped() throws Exception {
        Path key = softwareKey(new Date(System.currentTimeMillis() + Duration.ofDays(365).toMillis()));
        Path exe = osslsign(AuthenticodeSamples.PE.copyTo(dir), key);
        assertTrue(restamping().restamp(exe, "hello.exe").get(0).changed());
        byte[] stamped = Files.readAllBytes(exe);
        int requests = tsa.requestCount();

        Restamped again = restamping().restamp(exe, "hello.exe").get(0);

        assertFalse(again.changed());
        assertArrayEquals(stamped, Files.readAllBytes(exe));
        assertEquals(requests, tsa.requestCount());

        Path tampered = osslsign(AuthenticodeSamples.PE.copyTo(tmp.newFolder().toPath()), key);
        Artifacts.flipByte(tampered, 0x200);
        byte[] before = Files.readAllBytes(tampered);

        SigningException refused = assertThrows(SigningException.class,
                () -> restamping().restamp(tampered, "hello.exe"));

        assertEquals(Kind.VERIFICATION, refused.kind());
        assertThat(refused.getMessage(), containsString("The signature of hello.exe does not match hello.exe"));
        assertArrayEquals(before, Files.readAllBytes(tampered));
        assertEquals(requests, tsa.requestCount());
    }

    @Test
    public void aSignatureWhoseCertificateExpiredIsNotStamped() throws Exception {
        Path key = softwareKey(new Date(System.currentTimeMillis() - Duration.ofDays(1).toMillis()));
        Path exe = osslsign(AuthenticodeSamples.PE.copyTo(dir), key);
        byte[] before = Files.readAllBytes(exe);

        SigningException refused = assertThrows(SigningException.class, () -> restamping().restamp(exe, "hello.exe"));

        assertEquals(Kind.INPUT, refused.kind());
        assertThat(refused.getMessage(), containsString("cannot be timestamped any more"));
        assertThat(refused.getMessage(), containsString("sign it again with --tsa"));
        assertArrayEquals(before, Files.readAllBytes(exe));
        assertEquals(0, tsa.requestCount());
    }

    @Test
    public void jarSignaturesGetATimestampJarsignerAcceptsAndEveryOtherEntryStaysByteIdentical() throws Exception {
        Path jar = JarSamples.archive(dir, "jar");
        Path keystore = dir.resolve("signer.p12");
        KeyPair pair = TestPki.generateRsa(2048);
        X509Certificate certificate = TestPki.shared().issueCodeSigning(pair.getPublic(), "Restamp JAR signer");
        Files.write(keystore, TestPki.shared().pkcs12(pair, new X509Certificate[] {certificate,
                TestPki.shared().caCertificate()}, "signer",
                PASSWORD.toCharArray()));
        ExternalTool.require("jarsigner");
        ToolResult signed = ExternalTool.run(List.of("jarsigner", "-keystore", keystore.toString(), "-storetype",
                "PKCS12", "-storepass", PASSWORD, jar.toString(), "signer"));
        assertEquals(signed.output(), 0, signed.exitCode());
        assertThat(JarSamples.jarsigner(jar).output(), containsString("signatures that do not include a timestamp"));
        Map<String, byte[]> before = rawEntries(jar);

        List<Restamped> results = restamping().restamp(jar, "app.jar");

        assertTrue(results.get(0).changed());
        ToolResult verified = JarSamples.jarsigner(jar);
        assertEquals(verified.output(), 0, verified.exitCode());
        assertThat(verified.output(), containsString("jar verified."));
        assertThat(verified.output(), containsString("Timestamped by"));
        Map<String, byte[]> after = rawEntries(jar);
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            if (!name.equals("META-INF/SIGNER.RSA")) {
                assertArrayEquals(name, before.get(name), after.get(name));
            }
        }
        byte[] stamped = Files.readAllBytes(jar);

        assertFalse(restamping().restamp(jar, "app.jar").get(0).changed());
        assertArrayEquals(stamped, Files.readAllBytes(jar));
    }

    private Restamping restamping() throws Exception {
        return new Restamping(new Timestamper(EmbeddedSigning.tsa(true, tsa.url())));
    }

    /** A PEM key and certificate (test CA) valid until {@code notAfter}, as osslsigncode reads them. */
    private Path softwareKey(Date notAfter) throws Exception {
        KeyPair pair = TestPki.generateRsa(2048);
        X509Certificate certificate = TestPki.shared().issueCodeSigning(pair.getPublic(), "Restamp signer",
                Date.from(Instant.now().minus(Duration.ofDays(30))), notAfter);
        Path key = Files.createTempDirectory(dir, "key");
        Files.writeString(key.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(key.resolve("cert.pem"), TestPki.toPem(certificate));
        return key;
    }

    /** {@code osslsigncode sign} without a timestamp, in place. */
    private static Path osslsign(Path file, Path key) {
        ExternalTool.require("osslsigncode");
        Path out = file.resolveSibling("signed-" + file.getFileName());
        ToolResult signed = ExternalTool.run(List.of("osslsigncode", "sign", "-certs",
                key.resolve("cert.pem").toString(), "-key", key.resolve("key.pem").toString(), "-h", "sha256",
                "-in", file.toString(), "-out", out.toString()));
        assertEquals(signed.output(), 0, signed.exitCode());
        try {
            Files.move(out, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return file;
    }

    /** Each entry's local header, data and descriptor as stored, by name. */
    private static Map<String, byte[]> rawEntries(Path zip) throws Exception {
        Map<String, byte[]> raw = new HashMap<>();
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            for (ZipLayout.Entry entry : ZipLayout.read(channel, "zip").entries()) {
                ByteBuffer span = ByteBuffer.allocate((int) (entry.spanEnd() - entry.localOffset()));
                channel.read(span, entry.localOffset());
                raw.put(entry.name(), span.array());
            }
        }
        return raw;
    }
}
