package io.jenkins.plugins.hsmsigning.engine.testing;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FixtureTestPkiTest {

    private static final String EKU = "2.5.29.37";
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final TestPki pki = TestPki.shared();

    @Test
    public void caIsSelfSignedRootWithCriticalConstraints() throws Exception {
        X509Certificate ca = pki.caCertificate();
        ca.verify(ca.getPublicKey());
        assertEquals("CN=HSM Signing Test CA,O=HSM Signing Tests", ca.getSubjectX500Principal().getName());
        assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints());
        assertTrue(ca.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        assertTrue(ca.getKeyUsage()[5] && ca.getKeyUsage()[6]);
        assertTrue(ca.getNonCriticalExtensionOIDs().contains("2.5.29.14"));
        assertSame(pki, TestPki.shared());
    }

    @Test
    public void codeSigningCertificateValidatesToTheCa() throws Exception {
        KeyPair key = TestPki.generateEc("secp256r1");
        X509Certificate leaf = pki.issueCodeSigning(key.getPublic(), "Leaf");
        assertEquals("CN=Leaf,O=HSM Signing Tests", leaf.getSubjectX500Principal().getName());
        assertEquals(List.of(CODE_SIGNING), leaf.getExtendedKeyUsage());
        assertTrue(leaf.getNonCriticalExtensionOIDs().containsAll(Set.of(EKU, "2.5.29.14", "2.5.29.35")));
        assertTrue(leaf.getKeyUsage()[0]);
        assertEquals(-1, leaf.getBasicConstraints());
        assertEquals("SHA256withRSA", leaf.getSigAlgName());
        assertEquals(1, leaf.getSerialNumber().signum());
        assertNotEquals(leaf.getSerialNumber(), pki.issueCodeSigning(key.getPublic(), "Leaf").getSerialNumber());

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pki.caCertificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);

        Path ca = pki.writeCaPem(tmp.getRoot().toPath().resolve("ca.pem"));
        Path leafPem = Files.writeString(tmp.getRoot().toPath().resolve("leaf.pem"), TestPki.toPem(leaf));
        ToolResult verify = ExternalTool.run(
                List.of("openssl", "verify", "-CAfile", ca.toString(), leafPem.toString()));
        assertEquals(verify.output(), 0, verify.exitCode());
    }

    @Test
    public void explicitValidityAndNegativeCertificates() throws Exception {
        KeyPair key = TestPki.generateRsa(2048);
        Date notBefore = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
        Date notAfter = Date.from(Instant.parse("2021-01-01T00:00:00Z"));
        X509Certificate old = pki.issueCodeSigning(key.getPublic(), "Old", notBefore, notAfter);
        assertEquals(notBefore, old.getNotBefore());
        assertEquals(notAfter, old.getNotAfter());

        X509Certificate email = pki.issueWithoutCodeSigning(key.getPublic(), "Mail");
        assertEquals(List.of("1.3.6.1.5.5.7.3.4"), email.getExtendedKeyUsage());

        X509Certificate tsa = pki.issueTsa(key.getPublic(), "TSA");
        assertEquals(List.of("1.3.6.1.5.5.7.3.8"), tsa.getExtendedKeyUsage());
        assertTrue(tsa.getCriticalExtensionOIDs().contains(EKU));
    }

    @Test
    public void otherCaDoesNotIssueForTheSharedOne() throws Exception {
        TestPki other = TestPki.create("Other CA");
        assertEquals("CN=Other CA,O=HSM Signing Tests", other.caCertificate().getSubjectX500Principal().getName());
        X509Certificate leaf = other.issueCodeSigning(TestPki.generateRsa(2048).getPublic(), "X");
        leaf.verify(other.caCertificate().getPublicKey());
        assertFalse(leaf.getIssuerX500Principal().equals(pki.caCertificate().getSubjectX500Principal()));
    }

    @Test
    public void pemAndPkcs12RoundTrip() throws Exception {
        KeyPair key = TestPki.generateEc("secp384r1");
        assertEquals(384, ((ECPublicKey) key.getPublic()).getParams().getCurve().getField().getFieldSize());
        X509Certificate leaf = pki.issueCodeSigning(key.getPublic(), "Dev");
        X509Certificate[] chain = {leaf, pki.caCertificate()};

        byte[] pem = TestPki.toPem(chain).getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of(chain), List.copyOf(
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))));

        char[] password = "changeit".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(pki.pkcs12(key, chain, "dev", password)), password);
        assertEquals(key.getPrivate(), store.getKey("dev", password));
        assertArrayEquals(chain, store.getCertificateChain("dev"));
    }
}
