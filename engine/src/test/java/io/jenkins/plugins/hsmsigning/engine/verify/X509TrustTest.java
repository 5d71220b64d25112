package io.jenkins.plugins.hsmsigning.engine.verify;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationChecker;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.OpensslCms;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Trust anchors, certificates that only help build paths, time-stamp authority anchors and PEM signature files,
 * with CMS signatures made by {@code openssl cms} (and by the engine where a timestamp is needed).
 */
public class X509TrustTest {

    private static final TestPki PKI = TestPki.shared();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aSignatureWithoutCertificatesVerifiesWhenTheSignerCertificateIsGiven() throws Exception {
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate signer = PKI.issueCodeSigning(key.getPublic(), "No Certs Signer");
        Path artifact = Artifacts.random(dir(), "nocerts.bin", 2000);
        OpensslCms.sign(artifact, key.getPrivate(), signer, List.of(), "-nocerts");

        ReportEntry without = verify(artifact, List.of(PKI.caCertificate()), List.of());
        assertEquals(without.reason(), Failure.UNTRUSTED, without.failure());
        assertThat(without.reason(), containsString("is neither in the signature nor among the certificates given"));

        ReportEntry with = verify(artifact, List.of(PKI.caCertificate()), List.of(signer));
        assertEquals(with.reason(), Status.VERIFIED, with.status());
        assertEquals("CN=No Certs Signer,O=HSM Signing Tests", with.signer().subject());
    }

    @Test
    public void givenCertificatesCompleteThePathButAreNeverTrustedByThemselves() throws Exception {
        TestPki intermediate = PKI.intermediate("Path Help Intermediate");
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate signer = intermediate.issueCodeSigning(key.getPublic(), "Below Intermediate");
        Path artifact = Artifacts.random(dir(), "leafonly.bin", 2000);
        OpensslCms.sign(artifact, key.getPrivate(), signer, List.of());

        ReportEntry missing = verify(artifact, List.of(PKI.caCertificate()), List.of());
        assertEquals(missing.reason(), Failure.UNTRUSTED, missing.failure());

        ReportEntry completed = verify(artifact, List.of(PKI.caCertificate()), List.of(intermediate.caCertificate()));
        assertEquals(completed.reason(), Status.VERIFIED, completed.status());
        assertEquals(3, completed.chain().size());

        TestPki other = TestPki.create("Unrelated Root");
        ReportEntry notAnchors = verify(artifact, List.of(other.caCertificate()),
                List.of(intermediate.caCertificate(), PKI.caCertificate(), signer));
        assertEquals(notAnchors.reason(), Failure.UNTRUSTED, notAnchors.failure());
        ReportEntry noAnchors = verify(artifact, List.of(), List.of(PKI.caCertificate()));
        assertEquals(noAnchors.reason(), Failure.UNTRUSTED, noAnchors.failure());
    }

    @Test
    public void pemSignatureFilesAreVerified() throws Exception {
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate signer = PKI.issueCodeSigning(key.getPublic(), "PEM Signer");
        Path artifact = Artifacts.random(dir(), "pem.bin", 2000);
        Path p7s = OpensslCms.sign(artifact, key.getPrivate(), signer, List.of(), "-outform", "PEM");
        assertTrue(Files.readString(p7s).startsWith("-----BEGIN CMS-----"));
        ReportEntry entry = verify(artifact, List.of(PKI.caCertificate()), List.of());
        assertEquals(entry.reason(), Status.VERIFIED, entry.status());

        Path noCerts = Artifacts.random(dir(), "pem-nocerts.bin", 2000);
        OpensslCms.sign(noCerts, key.getPrivate(), signer, List.of(), "-outform", "PEM", "-nocerts");
        assertEquals(Status.VERIFIED, verify(noCerts, List.of(PKI.caCertificate()), List.of(signer)).status());

        Artifacts.flipByte(artifact, 10);
        assertEquals(Failure.CONTENT_MODIFIED, verify(artifact, List.of(PKI.caCertificate()), List.of()).failure());
    }

    @Test
    public void pemOfAnotherKindIsRefusedSayingSo() throws Exception {
        Path artifact = Artifacts.random(dir(), "cert-as-sig.bin", 100);
        Files.writeString(artifact.resolveSibling("cert-as-sig.bin.p7s"), TestPki.toPem(PKI.caCertificate()));
        ReportEntry entry = verify(artifact, List.of(PKI.caCertificate()), List.of());
        assertEquals(entry.reason(), Failure.MALFORMED, entry.failure());
        assertThat(entry.reason(), containsString("is PEM of another kind (CERTIFICATE)"));
    }

    @Test
    public void timestampsChainToTheTimeStampAuthorityAnchorsWhenSet() throws Exception {
        Path artifact = Artifacts.random(dir(), "stamped.bin", 2000);
        try (LoopbackTsa tsa = LoopbackTsa.start(); SigningKey key = TestKeys.open(SoftHsmToken.ECP256)) {
            SigningOptions options = SigningOptions.defaults().formats(Set.of(Format.CMS)).timestamps(
                    TimestampSettings.of(List.of(tsa.url()), true).withAttempts(1, Duration.ZERO));
            ReportEntry signed = new ArtifactSigner(key, options).sign(artifact, "stamped.bin").get(0);
            assertEquals(signed.reason(), Status.SIGNED, signed.status());
        }
        TestPki other = TestPki.create("Other TSA Root");
        ReportEntry foreign = new Verifier(VerificationOptions.trusting(List.of(PKI.caCertificate())).withX509(
                new X509Options(List.of(), List.of(other.caCertificate()), RevocationChecker.off())))
                .verify(artifact, "stamped.bin").get(0);
        assertEquals(foreign.reason(), Failure.TIMESTAMP_INVALID, foreign.failure());
        assertThat(foreign.reason(), containsString("time-stamp authority is not trusted"));

        ReportEntry own = new Verifier(VerificationOptions.trusting(List.of(PKI.caCertificate())).withX509(
                new X509Options(List.of(), List.of(PKI.caCertificate()), RevocationChecker.off())))
                .verify(artifact, "stamped.bin").get(0);
        assertEquals(own.reason(), Status.VERIFIED, own.status());
        assertNotNull(own.timestamp());
    }

    @Test
    public void onlyATimeStampingCertificateOtherThanTheSignersMayTimestamp() {
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate signer = PKI.issueCodeSigning(key.getPublic(), "Signer");
        X509Certificate tsaWithSignersKey = PKI.issueTsa(key.getPublic(), "Signer As TSA");
        X509Certificate realTsa = PKI.issueTsa(TestPki.generateRsa(2048).getPublic(), "Real TSA");
        X509Certificate anyUse = PKI.issueWithoutExtendedKeyUsage(TestPki.generateRsa(2048).getPublic(), "Any");

        assertNull(TrustValidator.timeStampingProblem(realTsa, signer));
        assertThat(TrustValidator.timeStampingProblem(signer, signer), containsString("signer's own key"));
        assertThat(TrustValidator.timeStampingProblem(tsaWithSignersKey, signer), containsString("signer's own key"));
        assertThat(TrustValidator.timeStampingProblem(anyUse, signer), containsString("not a time-stamping"));
        assertThat(TrustValidator.timeStampingProblem(PKI.issueCodeSigning(TestPki.generateRsa(2048).getPublic(),
                "Other Code Signer"), signer), containsString("exactly timeStamping"));
    }

    @Test
    public void theJavaRuntimeTrustStoreIsAvailableAsAnchors() throws Exception {
        List<X509Certificate> anchors = SystemTrust.anchors();
        assertFalse(anchors.isEmpty());
        assertTrue(anchors.stream().allMatch(c -> c.getBasicConstraints() >= 0 || c.getSubjectX500Principal()
                .equals(c.getIssuerX500Principal())));
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate signer = PKI.issueCodeSigning(key.getPublic(), "Not A Vendor");
        Path artifact = Artifacts.random(dir(), "vendor.bin", 500);
        OpensslCms.sign(artifact, key.getPrivate(), signer, List.of());
        ReportEntry entry = verify(artifact, anchors, List.of());
        assertEquals("the test CA is not among the runtime's CAs", Failure.UNTRUSTED, entry.failure());
    }

    private ReportEntry verify(Path artifact, List<X509Certificate> anchors, List<X509Certificate> certificates) {
        VerificationOptions options = VerificationOptions.trusting(anchors).withX509(new X509Options(certificates,
                List.of(), RevocationChecker.off()));
        List<ReportEntry> entries = new Verifier(options).verify(artifact, artifact.getFileName().toString());
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    private Path dir() {
        return tmp.getRoot().toPath();
    }
}
