package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.Test;

public class CertificateChainsTest {

    private final SoftHsmToken token = SoftHsmToken.shared();
    private final X509Certificate ca = TestPki.shared().caCertificate();
    private final X509Certificate leaf = token.certificate(SoftHsmToken.RSA3072);

    @Test
    public void readsPemDerAndPkcs7Bundles() throws Exception {
        byte[] pem = TestPki.toPem(leaf, ca).getBytes(StandardCharsets.US_ASCII);
        CMSSignedDataGenerator certsOnly = new CMSSignedDataGenerator();
        certsOnly.addCertificates(new JcaCertStore(List.of(leaf, ca)));
        byte[] pkcs7 = certsOnly.generate(new CMSProcessableByteArray(new byte[0]), false).getEncoded();
        assertEquals(List.of(leaf, ca), CertificateChains.read(pem, "chain.pem"));
        assertEquals(List.of(ca), CertificateChains.read(ca.getEncoded(), "ca.der"));
        assertEquals(2, CertificateChains.read(pkcs7, "chain.p7b").size());
    }

    @Test
    public void aPkcs7BundleCompletesTheTokensLeafOnlyChainInOrder() throws Exception {
        CMSSignedDataGenerator certsOnly = new CMSSignedDataGenerator();
        certsOnly.addCertificates(new JcaCertStore(List.of(ca, leaf)));
        List<X509Certificate> bundle = CertificateChains.read(
                certsOnly.generate(new CMSProcessableByteArray(new byte[0]), false).getEncoded(), "chain.p7b");
        try (Secret pin = Secret.of(token.pin());
                SigningKey key = Pkcs11KeySource.library(token.library()).tokenLabel(token.tokenLabel())
                        .keyAlias(SoftHsmToken.RSA3072).certificateChain(bundle).open(pin)) {
            assertEquals(List.of(leaf, ca), key.chain());
        }
    }

    @Test
    public void somethingElseIsNamedAsUnreadable() {
        SigningException e = assertThrows(SigningException.class,
                () -> CertificateChains.read("not a certificate".getBytes(StandardCharsets.US_ASCII), "chain.pem"));
        assertEquals(SigningException.Kind.CONFIGURATION, e.kind());
        assertThat(e.getMessage(), containsString("The certificate bundle chain.pem cannot be read"));
    }
}
