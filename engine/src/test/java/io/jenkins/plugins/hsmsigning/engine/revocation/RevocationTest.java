package io.jenkins.plugins.hsmsigning.engine.revocation;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.OpensslCms;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.X509Options;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Revocation of CMS signers made by openssl, checked against CRLs given offline and against an OCSP responder and a
 * CRL distribution point that the test runs on 127.0.0.1, whose URLs the signer's certificate names.
 */
public class RevocationTest {

    private static final TestPki PKI = TestPki.shared();
    private static final Instant NOW = Instant.now();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private LoopbackRevocationServer server;
    private X509Certificate leaf;
    private Path artifact;

    @Before
    public void signWithOpenssl() throws Exception {
        server = new LoopbackRevocationServer(PKI);
        KeyPair key = TestPki.generateRsa(2048);
        leaf = PKI.issueCodeSigning(key.getPublic(), "Revocation Test Signer", server.ocspUrl(), server.crlUrl());
        artifact = Artifacts.random(tmp.getRoot().toPath(), "app.bin", 4000);
        OpensslCms.sign(artifact, key.getPrivate(), leaf, List.of());
    }

    @After
    public void stopServer() {
        server.close();
    }

    @Test
    public void anOfflineCrlListingTheSignerFailsItAsRevoked() {
        X509CRL crl = PKI.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)),
                Map.of(leaf.getSerialNumber(), NOW.minus(Duration.ofHours(1))));
        ReportEntry entry = verify(RevocationMode.SOFT, List.of(crl), false);
        assertEquals(entry.reason(), Failure.CERTIFICATE_REVOKED, entry.failure());
        assertThat(entry.reason(), containsString("Revocation Test Signer,O=HSM Signing Tests was revoked on"));
        assertThat(entry.reason(), containsString("keyCompromise"));
        assertThat(entry.reason(), containsString("before now"));
        assertEquals("nothing is fetched when online checking is off", 0, server.ocspRequests()
                + server.crlRequests());
    }

    @Test
    public void aCurrentOfflineCrlWithoutTheSignerVerifiesEvenWhenStrict() {
        X509CRL crl = PKI.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)), Map.of());
        ReportEntry entry = verify(RevocationMode.STRICT, List.of(crl), false);
        assertEquals(entry.reason(), Status.VERIFIED, entry.status());
        entry.warnings().forEach(w -> assertThat(w, not(containsString("revocation"))));
    }

    @Test
    public void anOutOfDateCrlProvesNothing() {
        X509CRL stale = PKI.crl(NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(3)), Map.of());
        ReportEntry entry = verify(RevocationMode.STRICT, List.of(stale), false);
        assertEquals(entry.reason(), Failure.REVOCATION_UNKNOWN, entry.failure());
        assertThat(entry.reason(), containsString("out of date"));
    }

    @Test
    public void aCrlOfAnotherCaIsNotBelieved() {
        TestPki impostor = TestPki.create("HSM Signing Test CA");
        X509CRL forged = impostor.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)), Map.of());
        ReportEntry entry = verify(RevocationMode.STRICT, List.of(forged), false);
        assertEquals(entry.reason(), Failure.REVOCATION_UNKNOWN, entry.failure());
        assertThat(entry.reason(), containsString("not signed by the issuer's key"));
    }

    @Test
    public void withoutAnySourceSoftWarnsStrictFailsAndNothingIsFetched() {
        ReportEntry soft = verify(RevocationMode.SOFT, List.of(), false);
        assertEquals(soft.reason(), Status.VERIFIED, soft.status());
        assertTrue(soft.warnings().toString(), soft.warnings().stream().anyMatch(w -> w.contains(
                "revocation not checked") && w.contains("online checking is off")));
        ReportEntry strict = verify(RevocationMode.STRICT, List.of(), false);
        assertEquals(Failure.REVOCATION_UNKNOWN, strict.failure());
        ReportEntry off = verify(RevocationMode.OFF, List.of(), true);
        assertEquals(Status.VERIFIED, off.status());
        off.warnings().forEach(w -> assertThat(w, not(containsString("revocation"))));
        assertEquals("the certificate's URLs are not contacted unless online checking is on", 0,
                server.ocspRequests() + server.crlRequests());
    }

    @Test
    public void onlineOcspSaysGoodAndEachAnswerIsAskedOncePerRun() {
        RevocationChecker checker = new RevocationChecker(RevocationSettings.of(RevocationMode.STRICT, List.of(),
                true));
        Verifier verifier = new Verifier(options(checker));
        for (int i = 0; i < 2; i++) {
            ReportEntry entry = verifier.verify(artifact, "app.bin").get(0);
            assertEquals(entry.reason(), Status.VERIFIED, entry.status());
        }
        assertEquals(1, server.ocspRequests());
        assertEquals(0, server.crlRequests());
    }

    @Test
    public void onlineOcspSaysRevoked() {
        server.revoke(leaf.getSerialNumber(), NOW.minus(Duration.ofHours(2)));
        ReportEntry entry = verify(RevocationMode.SOFT, List.of(), true);
        assertEquals(entry.reason(), Failure.CERTIFICATE_REVOKED, entry.failure());
        assertThat(entry.reason(), containsString("the OCSP responder " + server.ocspUrl()));
    }

    @Test
    public void anOcspAnswerSignedByAStrangerIsNotBelieved() {
        TestPki stranger = TestPki.create("Stranger CA");
        server.ocspSigner(stranger.caKey(), stranger.caCertificate());
        server.revoke(leaf.getSerialNumber(), NOW.minus(Duration.ofHours(2)));
        ReportEntry entry = verify(RevocationMode.STRICT, List.of(), true);
        assertEquals(entry.reason(), Failure.REVOCATION_UNKNOWN, entry.failure());
        assertThat(entry.reason(), containsString("not signed by the issuer or its OCSP responder"));
    }

    @Test
    public void aDelegatedOcspResponderIsBelieved() {
        KeyPair responderKey = TestPki.generateRsa(2048);
        server.ocspSigner(responderKey.getPrivate(), PKI.issueOcspResponder(responderKey.getPublic(),
                "Test OCSP Responder"));
        server.revoke(leaf.getSerialNumber(), NOW.minus(Duration.ofHours(2)));
        ReportEntry entry = verify(RevocationMode.SOFT, List.of(), true);
        assertEquals(entry.reason(), Failure.CERTIFICATE_REVOKED, entry.failure());
    }

    @Test
    public void theDistributionPointIsAskedWhenTheResponderDoesNotKnow() {
        server.answerUnknown(true);
        server.crl(PKI.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)),
                Map.of(leaf.getSerialNumber(), NOW.minus(Duration.ofHours(3)))));
        ReportEntry entry = verify(RevocationMode.SOFT, List.of(), true);
        assertEquals(entry.reason(), Failure.CERTIFICATE_REVOKED, entry.failure());
        assertThat(entry.reason(), containsString("the CRL of"));
        assertEquals(1, server.ocspRequests());
        assertEquals(1, server.crlRequests());
    }

    @Test
    public void redirectsAreNotFollowed() {
        server.mode(LoopbackRevocationServer.Mode.REDIRECT);
        ReportEntry entry = verify(RevocationMode.STRICT, List.of(), true);
        assertEquals(entry.reason(), Failure.REVOCATION_UNKNOWN, entry.failure());
        assertThat(entry.reason(), containsString("redirects are not followed"));
        assertEquals(0, server.redirectTargetRequests());
    }

    @Test
    public void answersLargerThanTheLimitAreRefused() {
        server.mode(LoopbackRevocationServer.Mode.HUGE);
        ReportEntry entry = verify(RevocationMode.SOFT, List.of(), true);
        assertEquals(entry.reason(), Status.VERIFIED, entry.status());
        assertTrue(entry.warnings().toString(), entry.warnings().stream().anyMatch(w -> w.contains("larger than")));
    }

    @Test
    public void aRevocationAfterTheTimestampLeavesTheSignatureValidWithAWarning() {
        X509CRL crl = PKI.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)),
                Map.of(leaf.getSerialNumber(), NOW.minus(Duration.ofHours(1))));
        RevocationChecker checker = new RevocationChecker(RevocationSettings.of(RevocationMode.STRICT, List.of(crl),
                false));
        RevocationChecker.Verdict before = checker.check(List.of(leaf), PKI.caCertificate(),
                NOW.minus(Duration.ofHours(2)), "the timestamp", NOW);
        assertNull(before.reason(), before.failure());
        assertThat(before.warnings().toString(), containsString("after the timestamp"));
        RevocationChecker.Verdict after = checker.check(List.of(leaf), PKI.caCertificate(), NOW, "now", NOW);
        assertEquals(Failure.CERTIFICATE_REVOKED, after.failure());
    }

    @Test
    public void aRevokedIntermediateFailsTheCertificatesItIssued() throws Exception {
        TestPki intermediate = PKI.intermediate("Revocation Test Intermediate");
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate signer = intermediate.issueCodeSigning(key.getPublic(), "Signer Below Intermediate");
        Path other = Artifacts.random(tmp.getRoot().toPath(), "other.bin", 3000);
        OpensslCms.sign(other, key.getPrivate(), signer, List.of(intermediate.caCertificate()));
        X509CRL rootCrl = PKI.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)),
                Map.of(intermediate.caCertificate().getSerialNumber(), NOW.minus(Duration.ofHours(1))));
        X509CRL intermediateCrl = intermediate.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)),
                Map.of());
        ReportEntry clean = new Verifier(options(new RevocationChecker(RevocationSettings.of(RevocationMode.STRICT,
                List.of(intermediateCrl, PKI.crl(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(7)),
                        Map.of())), false)))).verify(other, "other.bin").get(0);
        assertEquals(clean.reason(), Status.VERIFIED, clean.status());
        ReportEntry revoked = new Verifier(options(new RevocationChecker(RevocationSettings.of(RevocationMode.SOFT,
                List.of(intermediateCrl, rootCrl), false)))).verify(other, "other.bin").get(0);
        assertEquals(revoked.reason(), Failure.CERTIFICATE_REVOKED, revoked.failure());
        assertThat(revoked.reason(), containsString("Revocation Test Intermediate,O=HSM Signing Tests was revoked"));
    }

    private ReportEntry verify(RevocationMode mode, List<X509CRL> crls, boolean online) {
        RevocationChecker checker = new RevocationChecker(RevocationSettings.of(mode, crls, online));
        return new Verifier(options(checker)).verify(artifact, "app.bin").get(0);
    }

    private static VerificationOptions options(RevocationChecker checker) {
        return VerificationOptions.trusting(List.of(PKI.caCertificate()))
                .withX509(new X509Options(List.of(), List.of(), checker));
    }
}
