package io.jenkins.plugins.hsmsigning.engine.cms;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CmsFormatTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static LoopbackTsa tsa;
    private static final TestPki PKI = TestPki.shared();

    @BeforeClass
    public static void startTsa() {
        tsa = LoopbackTsa.start();
    }

    @AfterClass
    public static void stopTsa() {
        tsa.close();
    }

    @Test
    public void everyKeyAndDigestIsAcceptedByOpenssl() throws Exception {
        ExternalTool.require("openssl");
        for (String alias : List.of(SoftHsmToken.RSA3072, SoftHsmToken.ECP256, SoftHsmToken.ECP384)) {
            for (DigestAlgorithm digest : DigestAlgorithm.values()) {
                for (boolean pss : alias.equals(SoftHsmToken.RSA3072) ? List.of(false, true) : List.of(false)) {
                    Path artifact = Artifacts.random(tmp.getRoot().toPath(), alias + digest + pss + ".bin", 70_000);
                    ReportEntry entry = sign(alias, artifact, options().digest(digest).pss(pss));
                    assertEquals(entry.reason(), Status.SIGNED, entry.status());
                    assertEquals(digest.jcaName(), entry.digestAlgorithm());
                    assertOpensslAccepts(artifact);
                    assertEquals(Status.VERIFIED, verify(artifact).status());
                }
            }
        }
    }

    @Test
    public void signatureCarriesTheWholeChainAndSignedAttributes() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "app.tar.gz", 1000);
        sign(SoftHsmToken.RSA3072, artifact, options());
        CMSSignedData signed = new CMSSignedData(Files.readAllBytes(p7s(artifact)));
        assertEquals(2, signed.getCertificates().getMatches(null).size());
        SignerInformation signer = signed.getSignerInfos().iterator().next();
        for (var oid : List.of(PKCSObjectIdentifiers.pkcs_9_at_contentType, PKCSObjectIdentifiers.pkcs_9_at_messageDigest,
                PKCSObjectIdentifiers.pkcs_9_at_signingTime)) {
            assertNotNull(oid.getId(), signer.getSignedAttributes().get(oid));
        }
        assertNull(signed.getSignedContent());
    }

    @Test
    public void signingAndVerifyingReportTheChainFromTheSignerUp() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "chain.bin", 1000);
        ReportEntry signed = sign(SoftHsmToken.RSA3072, artifact, options());
        ReportEntry verified = verify(artifact);
        ReportEntry inspected = new Verifier(VerificationOptions.inspection())
                .verify(artifact, artifact.getFileName().toString()).get(0);

        X509Certificate ca = PKI.caCertificate();
        for (ReportEntry entry : List.of(signed, verified, inspected)) {
            assertEquals(entry.operation(), 2, entry.chain().size());
            assertEquals(entry.signer().subject(), entry.chain().get(0).subject());
            assertEquals(ca.getSubjectX500Principal().getName(), entry.chain().get(1).subject());
            assertEquals(ca.getNotAfter().toInstant(), entry.chain().get(1).notAfter());
        }
        assertNull(ReportEntry.failure(ReportEntry.VERIFY, "x", "cms", null, "r", 0).chain());
    }

    @Test
    public void timestampIsEmbeddedAndAcceptedByOpensslTs() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "stamped.bin", 5000);
        ReportEntry entry = sign(SoftHsmToken.ECP256, artifact, options().timestamps(tsa(true, tsa.url())));
        assertNotNull(entry.timestamp());
        assertEquals(tsa.url(), entry.timestamp().authority());
        assertOpensslAccepts(artifact);
        SignerInformation signer = new CMSSignedData(Files.readAllBytes(p7s(artifact))).getSignerInfos().iterator().next();
        Attribute token = signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        Path tokenFile = Files.write(tmp.newFile("token.tst").toPath(),
                ContentInfo.getInstance(token.getAttrValues().getObjectAt(0)).getEncoded("DER"));
        Path data = Files.write(tmp.newFile("signature.bin").toPath(), signer.getSignature());
        Path tsaPem = Files.writeString(tmp.newFile("tsa.pem").toPath(), TestPki.toPem(tsa.certificate()));
        Path ca = PKI.writeCaPem(tmp.getRoot().toPath().resolve("ca.pem"));
        ToolResult result = ExternalTool.run(List.of("openssl", "ts", "-verify", "-data", data.toString(), "-in",
                tokenFile.toString(), "-token_in", "-CAfile", ca.toString(), "-untrusted", tsaPem.toString()));
        assertEquals(result.output(), 0, result.exitCode());
        assertThat(result.output(), containsString("Verification: OK"));
        ReportEntry verified = verify(artifact);
        assertEquals(Status.VERIFIED, verified.status());
        assertNotNull(verified.timestamp());
    }

    @Test
    public void failsOverToTheNextAuthority() throws Exception {
        try (LoopbackTsa broken = LoopbackTsa.start()) {
            broken.mode(LoopbackTsa.Mode.GARBAGE);
            Path artifact = Artifacts.random(tmp.getRoot().toPath(), "failover.bin", 100);
            ReportEntry entry = sign(SoftHsmToken.RSA3072, artifact, options().timestamps(tsa(true, broken.url(), tsa.url())));
            assertEquals(Status.SIGNED, entry.status());
            assertEquals(tsa.url(), entry.timestamp().authority());
        }
    }

    @Test
    public void requiredTimestampFailsTheSigningAndOptionalOneWarns() throws Exception {
        for (LoopbackTsa.Mode mode : List.of(LoopbackTsa.Mode.HTTP_ERROR, LoopbackTsa.Mode.WRONG_IMPRINT,
                LoopbackTsa.Mode.WRONG_NONCE, LoopbackTsa.Mode.REJECTION)) {
            try (LoopbackTsa broken = LoopbackTsa.start()) {
                broken.mode(mode);
                Path artifact = Artifacts.random(tmp.getRoot().toPath(), mode + ".bin", 100);
                ReportEntry required = sign(SoftHsmToken.ECP256, artifact, options().timestamps(tsa(true, broken.url())));
                assertEquals(mode.toString(), Status.FAILED, required.status());
                assertEquals(Failure.TIMESTAMP_MISSING, required.failure());
                assertThat(required.reason(), containsString(broken.url()));
                assertTrue("nothing half-written", Files.notExists(p7s(artifact)));
                ReportEntry optional = sign(SoftHsmToken.ECP256, artifact, options().timestamps(tsa(false, broken.url())));
                assertEquals(Status.SIGNED, optional.status());
                assertThat(optional.warnings().get(0), containsString("not timestamped"));
            }
        }
    }

    @Test
    public void aSlowAuthorityTimesOut() throws Exception {
        try (LoopbackTsa slow = LoopbackTsa.start()) {
            slow.mode(LoopbackTsa.Mode.SLOW);
            Path artifact = Artifacts.random(tmp.getRoot().toPath(), "slow.bin", 100);
            // the slow authority never answers, so it times out whatever the timeout; the next one must answer within it
            TimestampSettings settings = tsa(true, slow.url(), tsa.url()).withTimeout(Duration.ofSeconds(5))
                    .withAttempts(1, Duration.ZERO);
            ReportEntry entry = sign(SoftHsmToken.ECP256, artifact, options().timestamps(settings));
            assertEquals(tsa.url(), entry.timestamp().authority());
        }
    }

    @Test
    public void tamperedContentIsDetected() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "tampered.bin", 3000);
        sign(SoftHsmToken.RSA3072, artifact, options());
        Artifacts.flipByte(artifact, 1234);
        ReportEntry entry = verify(artifact);
        assertEquals(Failure.CONTENT_MODIFIED, entry.failure());
        assertThat(entry.reason(), containsString("tampered.bin"));
        assertOpensslRejects(artifact);
    }

    @Test
    public void tamperedSignatureIsDetected() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "badsig.bin", 3000);
        sign(SoftHsmToken.RSA3072, artifact, options());
        Path signature = p7s(artifact);
        Artifacts.flipByte(signature, Files.size(signature) - 10);
        ReportEntry entry = verify(artifact);
        assertEquals(Status.FAILED, entry.status());
        assertTrue(entry.failure().toString(), entry.failure() == Failure.SIGNATURE_INVALID || entry.failure() == Failure.MALFORMED);
        assertOpensslRejects(artifact);
    }

    @Test
    public void anotherTrustAnchorIsRejected() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "untrusted.bin", 300);
        sign(SoftHsmToken.ECP256, artifact, options());
        TestPki other = TestPki.create("Another CA");
        ReportEntry entry = new Verifier(VerificationOptions.trusting(List.of(other.caCertificate())))
                .verify(artifact, "untrusted.bin").get(0);
        assertEquals(Failure.UNTRUSTED, entry.failure());
    }

    @Test
    public void expiredCertificateFailsWithoutTimestampButNotWithOne() throws Exception {
        Clock threeYearsLater = Clock.fixed(java.time.Instant.now().plus(Duration.ofDays(3 * 365)), ZoneOffset.UTC);
        VerificationOptions later = VerificationOptions.trusting(List.of(PKI.caCertificate())).withClock(threeYearsLater);
        Path plain = Artifacts.random(tmp.getRoot().toPath(), "plain.bin", 300);
        sign(SoftHsmToken.RSA3072, plain, options());
        ReportEntry expired = new Verifier(later).verify(plain, "plain.bin").get(0);
        assertEquals(Failure.CERTIFICATE_EXPIRED, expired.failure());
        assertThat(expired.reason(), containsString("expired"));
        Path stamped = Artifacts.random(tmp.getRoot().toPath(), "stamped-then.bin", 300);
        sign(SoftHsmToken.RSA3072, stamped, options().timestamps(tsa(true, tsa.url())));
        assertEquals(Status.VERIFIED, new Verifier(later).verify(stamped, "stamped-then.bin").get(0).status());
    }

    @Test
    public void aMissingSignatureIsAFailure() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "unsigned.bin", 10);
        ReportEntry entry = verify(artifact);
        assertEquals(Failure.NO_SIGNATURE, entry.failure());
    }

    @Test
    public void signaturesCanGoToAnOutputDirectory() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "dist/sub/app.bin", 10);
        Path out = tmp.newFolder("sigs").toPath();
        try (SigningKey key = TestKeys.open(SoftHsmToken.ECP256)) {
            new ArtifactSigner(key, options().outputDirectory(out)).sign(artifact, "sub/app.bin");
        }
        assertTrue(Files.isRegularFile(out.resolve("sub/app.bin.p7s")));
        VerificationOptions options = VerificationOptions.trusting(List.of(PKI.caCertificate())).withSignatureDirectory(out);
        assertEquals(Status.VERIFIED, new Verifier(options).verify(artifact, "sub/app.bin").get(0).status());
    }

    private static SigningOptions options() {
        return SigningOptions.defaults().formats(Set.of(Format.CMS));
    }

    private static TimestampSettings tsa(boolean required, String... urls) throws Exception {
        return TimestampSettings.of(List.of(urls), required).withAttempts(1, Duration.ZERO)
                .withTimeout(Duration.ofMinutes(1)); // a hang guard: the loopback authorities answer or fail at once
    }

    private static ReportEntry sign(String alias, Path artifact, SigningOptions options) throws Exception {
        try (SigningKey key = TestKeys.open(alias)) {
            List<ReportEntry> entries = new ArtifactSigner(key, options).sign(artifact, artifact.getFileName().toString());
            assertEquals(1, entries.size());
            return entries.get(0);
        }
    }

    private static ReportEntry verify(Path artifact) {
        List<ReportEntry> entries = new Verifier(VerificationOptions.trusting(List.of(PKI.caCertificate())))
                .verify(artifact, artifact.getFileName().toString());
        assertEquals(1, entries.size());
        return entries.get(0);
    }

    private static Path p7s(Path artifact) {
        return artifact.resolveSibling(artifact.getFileName() + ".p7s");
    }

    private ToolResult openssl(Path artifact) throws Exception {
        Path ca = PKI.writeCaPem(tmp.getRoot().toPath().resolve("ca.pem"));
        return ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-content",
                artifact.toString(), "-in", p7s(artifact).toString(), "-CAfile", ca.toString(), "-purpose", "any",
                "-out", "/dev/null"));
    }

    private void assertOpensslAccepts(Path artifact) throws Exception {
        ToolResult result = openssl(artifact);
        assertEquals(result.output(), 0, result.exitCode());
    }

    private void assertOpensslRejects(Path artifact) throws Exception {
        ToolResult result = openssl(artifact);
        assertTrue(result.output(), result.exitCode() != 0);
    }
}
