package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AuthenticodeFormatTest {

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
    public void ecKeySignsExecutablesAndInstallers() throws Exception {
        for (AuthenticodeSamples sample : List.of(AuthenticodeSamples.PE, AuthenticodeSamples.MSI)) {
            Path file = sample.copyTo(dir());
            ReportEntry signed = EmbeddedSigning.sign(ec, file, authenticode().timestamps(
                    EmbeddedSigning.tsa(true, tsa.url())));
            assertEquals(signed.reason(), Status.SIGNED, signed.status());
            assertEquals("SHA256withECDSA", signed.signatureAlgorithm());
            ReportEntry verified = single(EmbeddedSigning.verify(file));
            assertEquals(verified.reason(), Status.VERIFIED, verified.status());
            assertEquals("SHA256withECDSA", verified.signatureAlgorithm());
            assertOsslsigncodeAccepts(file, true);
        }
    }

    @Test
    public void theReportHashesTheArtifactBeforeAndAfterAndItStaysExecutable() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        String original = Artifacts.sha256(file);

        ReportEntry signed = EmbeddedSigning.sign(rsa, file, authenticode());

        assertEquals(signed.reason(), Status.SIGNED, signed.status());
        assertEquals(original, signed.sha256Before());
        assertEquals(Artifacts.sha256(file), signed.sha256After());
        assertNotEquals(signed.sha256Before(), signed.sha256After());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void everyDigestIsAccepted() throws Exception {
        for (DigestAlgorithm digest : DigestAlgorithm.values()) {
            Path file = AuthenticodeSamples.PE.copyTo(dir());
            ReportEntry signed = EmbeddedSigning.sign(rsa, file, authenticode().digest(digest));
            assertEquals(signed.reason(), Status.SIGNED, signed.status());
            ReportEntry verified = single(EmbeddedSigning.verify(file));
            assertEquals(verified.reason(), Status.VERIFIED, verified.status());
            assertEquals(digest.jcaName(), verified.digestAlgorithm());
            assertOsslsigncodeAccepts(file, false);
        }
    }

    @Test
    public void withoutAuthorityNothingIsTimestampedAndNothingIsContacted() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        List<URI> contacted = new CopyOnWriteArrayList<>();
        ProxySelector original = ProxySelector.getDefault();
        // HttpURLConnection, which jsign's time-stamping uses, asks the default selector before every connection
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                contacted.add(uri);
                return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // a closed loopback port: the connection fails at once, which is all a stray attempt needs
            }
        });
        ReportEntry signed;
        try {
            signed = EmbeddedSigning.sign(rsa, file, authenticode());
        } finally {
            ProxySelector.setDefault(original);
        }
        assertEquals("jsign's default authorities must not be asked", List.of(), contacted);
        assertNull(signed.timestamp());
        assertEquals(List.of(), signed.warnings());
        ReportEntry verified = single(EmbeddedSigning.verify(file));
        assertNull(verified.timestamp());
        assertThat(verified.warnings().get(0), containsString("not timestamped"));
    }

    @Test
    public void nestedSignaturesAreAddedAndEachVerifies() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        EmbeddedSigning.sign(rsa, file, authenticode().timestamps(EmbeddedSigning.tsa(true, tsa.url())));
        ReportEntry nested = EmbeddedSigning.sign(ec, file, authenticode().digest(DigestAlgorithm.SHA384));
        assertEquals(nested.reason(), Status.SIGNED, nested.status());
        List<ReportEntry> verified = EmbeddedSigning.verify(file);
        assertEquals(verified.toString(), 2, verified.size());
        for (ReportEntry entry : verified) {
            assertEquals(entry.reason(), Status.VERIFIED, entry.status());
        }
        assertEquals("SHA256withRSA", verified.get(0).signatureAlgorithm());
        assertEquals("SHA384withECDSA", verified.get(1).signatureAlgorithm());
        ToolResult result = assertOsslsigncodeAccepts(file, true);
        assertThat(result.output(), containsString("Number of verified signatures: 2"));

        assertThat(nested.warnings().toString(), containsString("kept 1 earlier signature"));

        ReportEntry again = EmbeddedSigning.sign(ec, file, authenticode().digest(DigestAlgorithm.SHA384));
        assertEquals("the same signer and digest replace their own signature", 2, EmbeddedSigning.verify(file).size());
        assertThat(again.warnings().toString(), containsString("replaced 1 earlier signature"));

        ReportEntry replaced = EmbeddedSigning.sign(ec, file, authenticode().replaceSignatures(true));
        assertEquals("replacing removes both", 1, EmbeddedSigning.verify(file).size());
        assertThat(replaced.warnings().toString(), containsString("replaced 2 earlier signatures"));
    }

    @Test
    public void legacyTimestampIsCountersignedAndVerified() throws Exception {
        try (LegacyTsa legacy = new LegacyTsa()) {
            for (AuthenticodeSamples sample : List.of(AuthenticodeSamples.PE, AuthenticodeSamples.MSI)) {
                Path file = sample.copyTo(dir());
                ReportEntry signed = EmbeddedSigning.sign(rsa, file, authenticode().legacyAuthenticodeTimestamp(true)
                        .timestamps(EmbeddedSigning.tsa(true, legacy.url())));
                assertEquals(signed.reason(), Status.SIGNED, signed.status());
                assertEquals(legacy.url(), signed.timestamp().authority());
                ReportEntry verified = single(EmbeddedSigning.verify(file));
                assertEquals(verified.reason(), Status.VERIFIED, verified.status());
                assertThat(verified.timestamp().authority(), containsString("HSM Signing Legacy TSA"));
                assertOsslsigncodeAccepts(file, true);
            }
        }
    }

    @Test
    public void timestampedSignatureOutlivesTheCertificate() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        EmbeddedSigning.sign(rsa, file, authenticode().timestamps(EmbeddedSigning.tsa(true, tsa.url())));
        Path plain = AuthenticodeSamples.MSI.copyTo(dir());
        EmbeddedSigning.sign(rsa, plain, authenticode());
        Verifier later = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate()))
                .withClock(Clock.fixed(Instant.now().plus(Duration.ofDays(3 * 365)), ZoneOffset.UTC)));
        assertEquals(Status.VERIFIED, single(later.verify(file, "hello.exe")).status());
        assertEquals(Failure.CERTIFICATE_EXPIRED, single(later.verify(plain, "hello.msi")).failure());
    }

    @Test
    public void failsOverAndAppliesTheTimestampPolicy() throws Exception {
        try (LoopbackTsa broken = LoopbackTsa.start()) {
            broken.mode(LoopbackTsa.Mode.WRONG_IMPRINT);
            Path failover = AuthenticodeSamples.PE.copyTo(dir());
            ReportEntry signed = EmbeddedSigning.sign(rsa, failover, authenticode().timestamps(
                    EmbeddedSigning.tsa(true, broken.url(), tsa.url())));
            assertEquals(tsa.url(), signed.timestamp().authority());

            Path required = AuthenticodeSamples.MSI.copyTo(dir());
            String before = Artifacts.sha256(required);
            ReportEntry refused = EmbeddedSigning.sign(rsa, required, authenticode().timestamps(
                    EmbeddedSigning.tsa(true, broken.url())));
            assertEquals(Status.FAILED, refused.status());
            assertEquals(Failure.TIMESTAMP_MISSING, refused.failure());
            assertThat(refused.reason(), containsString(broken.url()));
            assertEquals(before, Artifacts.sha256(required));
            assertNoTemporaryFiles();

            ReportEntry optional = EmbeddedSigning.sign(rsa, required, authenticode().timestamps(
                    EmbeddedSigning.tsa(false, broken.url())));
            assertEquals(Status.SIGNED, optional.status());
            assertNull(optional.timestamp());
            assertThat(optional.warnings().get(0), containsString("not timestamped"));
        }
    }

    @Test
    public void oneChangedByteInTheCodeIsDetected() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        EmbeddedSigning.sign(rsa, file, authenticode());
        Artifacts.flipByte(file, textSectionOffset(file) + 16);
        ReportEntry entry = single(EmbeddedSigning.verify(file));
        assertEquals(entry.reason(), Failure.CONTENT_MODIFIED, entry.failure());
        assertThat(entry.reason(), containsString("hello.exe"));
        ToolResult result = EmbeddedSigning.osslsigncode(file);
        assertNotEquals(result.output(), 0, result.exitCode());
    }

    @Test
    public void aChangedCatalogIsDetected() throws Exception {
        Path file = AuthenticodeSamples.CAT.copyTo(dir());
        EmbeddedSigning.sign(rsa, file, authenticode());
        byte[] bytes = Files.readAllBytes(file);
        int listIdentifier = indexOf(bytes, "hsm-signing-test".getBytes(StandardCharsets.US_ASCII));
        Artifacts.flipByte(file, listIdentifier);
        ReportEntry entry = single(EmbeddedSigning.verify(file));
        assertEquals(entry.reason(), Failure.CONTENT_MODIFIED, entry.failure());
        ToolResult result = EmbeddedSigning.osslsigncode(file);
        assertNotEquals(result.output(), 0, result.exitCode());
    }

    @Test
    public void anAppxIsSignedOnlyByItsPublisher() throws Exception {
        Path file = AuthenticodeSamples.APPX.copyTo(dir());
        String before = Artifacts.sha256(file);
        ReportEntry entry = EmbeddedSigning.sign(ec, file, authenticode());
        assertEquals(Failure.INPUT_ERROR, entry.failure());
        assertThat(entry.reason(), containsString("publisher"));
        assertEquals(before, Artifacts.sha256(file));
    }

    @Test
    public void anotherTrustAnchorIsRejected() throws Exception {
        Path file = AuthenticodeSamples.PS1.copyTo(dir());
        EmbeddedSigning.sign(rsa, file, authenticode());
        Verifier other = new Verifier(VerificationOptions.trusting(
                List.of(TestPki.create("Other CA").caCertificate())));
        assertEquals(Failure.UNTRUSTED, single(other.verify(file, "hello.ps1")).failure());
    }

    @Test
    public void anUnsignedFileHasNoSignature() {
        Path file = AuthenticodeSamples.CAB.copyTo(dir());
        assertEquals(Failure.NO_SIGNATURE, single(EmbeddedSigning.verify(file)).failure());
    }

    @Test
    public void aTextFileIsRefusedAndLeftUntouched() throws Exception {
        Path file = Files.writeString(dir().resolve("notes.txt"), "not a program\n", StandardCharsets.UTF_8);
        Path binaryScript = Artifacts.random(dir(), "binary.ps1", 500);
        for (Path artifact : List.of(file, binaryScript)) {
            String before = Artifacts.sha256(artifact);
            ReportEntry entry = EmbeddedSigning.sign(rsa, artifact, authenticode());
            assertEquals(Status.FAILED, entry.status());
            assertEquals(Failure.INPUT_ERROR, entry.failure());
            assertThat(entry.reason(), containsString(artifact.getFileName().toString()));
            assertEquals(before, Artifacts.sha256(artifact));
        }
        assertNoTemporaryFiles();
    }

    @Test
    public void rsaPssIsRefusedBeforeAnythingIsSigned() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(dir());
        String before = Artifacts.sha256(file);
        ReportEntry entry = EmbeddedSigning.sign(rsa, file, authenticode().pss(true));
        assertEquals(Failure.CONFIGURATION, entry.failure());
        assertThat(entry.reason(), containsString("RSA-PSS"));
        assertEquals(before, Artifacts.sha256(file));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("not found");
    }

    private Path dir() {
        return tmp.getRoot().toPath();
    }

    private void assertNoTemporaryFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".hsmsign-")).toList());
        }
    }

    private static SigningOptions authenticode() {
        return SigningOptions.defaults().formats(Set.of(Format.AUTHENTICODE));
    }

    private static ReportEntry single(List<ReportEntry> entries) {
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    private static ToolResult assertOsslsigncodeAccepts(Path file, boolean timestamped) {
        ToolResult result = EmbeddedSigning.osslsigncode(file);
        assertEquals(result.output(), 0, result.exitCode());
        if (timestamped) {
            assertThat(result.output(), containsString("Timestamp Server Signature verification: ok"));
        }
        return result;
    }

    /** Where the raw data of the PE's .text section starts, from the section table. */
    private static long textSectionOffset(Path pe) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(pe)).order(ByteOrder.LITTLE_ENDIAN);
        int coff = bytes.getInt(0x3C) + 4;
        int sections = Short.toUnsignedInt(bytes.getShort(coff + 2));
        int table = coff + 20 + Short.toUnsignedInt(bytes.getShort(coff + 16));
        for (int i = 0; i < sections; i++) {
            int header = table + 40 * i;
            byte[] name = new byte[8];
            bytes.get(header, name);
            if (new String(name, StandardCharsets.US_ASCII).startsWith(".text")) {
                return Integer.toUnsignedLong(bytes.getInt(header + 20));
            }
        }
        throw new IllegalStateException("no .text section in " + pe);
    }
}
