package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationMode;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class TrustSettingsTest {

    private final TestPki pki = TestPki.shared();

    @Test
    public void trustAnchorsAndDerivedOpenPgpKeys() throws Exception {
        DevKey key = DevKey.create("trust settings");
        VerificationOptions options = new TrustSettings(TestPki.toPem(pki.caCertificate()),
                TestPki.toPem(key.certificate), null).options();
        assertEquals(List.of(pki.caCertificate()), options.trustAnchors());
        assertEquals(List.of(key.certificate), options.pgpCertificates());
        assertEquals(List.of(), options.pgpKeys());
    }

    @Test
    public void armoredOpenPgpKeysAloneAreEnough() throws Exception {
        DevKey key = DevKey.create("armored");
        String armored;
        try (var signingKey = key.open()) {
            armored = PgpKeys.exportArmored(signingKey, null);
        }
        VerificationOptions options = new TrustSettings(null, "", armored).options();
        assertEquals(List.of(), options.trustAnchors());
        assertEquals(PgpKeys.fingerprint(PgpKeys.publicKey(key.certificate)),
                PgpKeys.fingerprint(options.pgpKeys().get(0)));
    }

    @Test
    public void nothingToTrustAndUnreadableSettingsAreNamed() {
        SigningException e = assertThrows(SigningException.class, () -> new TrustSettings(" ", null, "").options());
        assertEquals(SigningException.Kind.CONFIGURATION, e.kind());
        assertThat(e.getMessage(), containsString("nothing to verify signatures against"));

        e = assertThrows(SigningException.class, () -> new TrustSettings("garbage", null, null).options());
        assertThat(e.getMessage(), containsString("trust anchors"));
        e = assertThrows(SigningException.class, () -> new TrustSettings(null, null, "garbage").options());
        assertEquals(SigningException.Kind.CONFIGURATION, e.kind());
        assertThat(e.getMessage(), containsString("OpenPGP public keys"));
    }

    @Test
    public void signerCertificatesOfABundleAndPem() throws Exception {
        DevKey key = DevKey.create("bundle");
        List<java.security.cert.X509Certificate> bundle = List.of(pki.caCertificate(), key.certificate);
        assertEquals(List.of(key.certificate), TrustSettings.endEntityCertificates(bundle));
        String pem = TrustSettings.pem(bundle);
        assertEquals(TestPki.toPem(pki.caCertificate(), key.certificate), pem);
        assertEquals(bundle, ProfileSettings.certificates(pem, "bundle"));
        assertEquals("", TrustSettings.pem(List.of()));
    }

    @Test
    public void x509SettingsTravelAsText() throws Exception {
        Path crlFile = Files.createTempFile("trust", ".crl");
        try {
            Files.write(crlFile, pki.crl(Instant.now(), Instant.now().plusSeconds(
                    3600), Map.of()).getEncoded());
            String crls = ProfileSettings.crlsPem(crlFile + "\n\n", "CRL files");
            assertTrue(crls.startsWith("-----BEGIN X509 CRL-----"));
            TrustSettings settings = new TrustSettings(null, null, null).withX509(TestPki.toPem(pki.caCertificate()),
                    true, TestPki.toPem(pki.caCertificate()), "strict", crls, true);
            VerificationOptions options = settings.options();
            assertTrue("the Java runtime's CAs are anchors", options.trustAnchors().size() > 1);
            assertEquals(1, options.x509().certificates().size());
            assertEquals(1, options.x509().tsaTrustAnchors().size());
            assertEquals(RevocationMode.STRICT,
                    options.x509().revocation().settings().mode());
            assertEquals(1, options.x509().revocation().settings().crls().size());
            assertTrue(options.x509().revocation().settings().online());
            assertEquals("soft is the default", RevocationMode.SOFT,
                    new TrustSettings(TestPki.toPem(pki.caCertificate()), null, null).options().x509().revocation()
                            .settings().mode());
        } finally {
            Files.delete(crlFile);
        }
    }

    @Test
    public void badX509SettingsAreNamed() {
        SigningException mode = assertThrows(SigningException.class, () -> new TrustSettings(
                TestPki.toPem(pki.caCertificate()), null, null).withX509(null, false, null, "sometimes", null, false)
                .options());
        assertEquals("The revocation checking 'sometimes' is not valid: use off, soft or strict.", mode.getMessage());
        SigningException crl = assertThrows(SigningException.class, () -> ProfileSettings.crlsPem(
                "/nonexistent/list.crl", "CRL files"));
        assertThat(crl.getMessage(), containsString("/nonexistent/list.crl given by CRL files cannot be read"));
    }
}
