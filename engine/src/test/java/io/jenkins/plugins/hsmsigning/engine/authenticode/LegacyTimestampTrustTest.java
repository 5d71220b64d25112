package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A legacy Authenticode countersignature vouches for a time only when its certificate is a time-stamping one (EKU
 * exactly timeStamping, critical): otherwise a signer could countersign its own signature with any certificate it
 * holds and outlive its code-signing certificate. Such a signature counts as not timestamped.
 */
public class LegacyTimestampTrustTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @ClassRule
    public static final TestKeys.OpenedKey RSA = TestKeys.opened(SoftHsmToken.RSA3072);

    @Test
    public void aCountersignatureWithoutTimeStampingUsageIsNoTimestamp() throws Exception {
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate anyUse = TestPki.shared().issueWithoutExtendedKeyUsage(key.getPublic(), "Any Use Cert");
        assertNotATimestamp(key, anyUse);
    }

    @Test
    public void aCountersignatureByACodeSigningCertificateIsNoTimestamp() throws Exception {
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate codeSigning = TestPki.shared().issueCodeSigning(key.getPublic(), "Self Stamper");
        assertNotATimestamp(key, codeSigning);
    }

    @Test
    public void aTimeStampingCertificateStillMakesATimestamp() throws Exception {
        Path file = sign(new LegacyTsa());
        ReportEntry verified = EmbeddedSigning.verify(file).get(0);
        assertEquals(verified.reason(), Status.VERIFIED, verified.status());
        assertNotNull(verified.timestamp());
        assertEquals(Status.VERIFIED, later().verify(file, "hello.exe").get(0).status());
    }

    private void assertNotATimestamp(KeyPair key, X509Certificate certificate) throws Exception {
        Path file = sign(new LegacyTsa(key, certificate));
        ReportEntry now = EmbeddedSigning.verify(file).get(0);
        assertEquals(now.reason(), Status.VERIFIED, now.status());
        assertNull("the countersignature is not reported as a timestamp", now.timestamp());
        assertTrue(now.warnings().toString(), now.warnings().stream().anyMatch(w -> w.contains(
                "is not a timestamp") && w.contains("not a time-stamping certificate")));
        ReportEntry afterExpiry = later().verify(file, "hello.exe").get(0);
        assertEquals("it cannot keep the signature alive after the signer's certificate expired",
                Failure.CERTIFICATE_EXPIRED, afterExpiry.failure());
    }

    private Path sign(LegacyTsa legacy) throws Exception {
        try (legacy) {
            Path file = AuthenticodeSamples.PE.copyTo(tmp.newFolder().toPath());
            ReportEntry signed = EmbeddedSigning.sign(RSA.key(), file, SigningOptions.defaults()
                    .formats(Set.of(Format.AUTHENTICODE)).legacyAuthenticodeTimestamp(true)
                    .timestamps(EmbeddedSigning.tsa(false, legacy.url())));
            assertEquals(signed.reason(), Status.SIGNED, signed.status());
            return file;
        }
    }

    private static Verifier later() {
        return new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate()))
                .withClock(Clock.fixed(Instant.now().plus(Duration.ofDays(3 * 365)), ZoneOffset.UTC)));
    }
}
