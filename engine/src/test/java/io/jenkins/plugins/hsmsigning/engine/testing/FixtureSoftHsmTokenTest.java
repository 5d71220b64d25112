package io.jenkins.plugins.hsmsigning.engine.testing;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FixtureSoftHsmTokenTest {

    private static final List<String> ALIASES = List.of(SoftHsmToken.RSA3072, SoftHsmToken.ECP256,
            SoftHsmToken.ECP384, SoftHsmToken.EXPIRED, SoftHsmToken.NOCODESIGN);

    private static SoftHsmToken token;
    private static Provider provider;
    private static KeyStore keyStore;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void loadToken() throws Exception {
        token = SoftHsmToken.shared();
        provider = Security.getProvider("SunPKCS11").configure(token.sunPkcs11Config());
        keyStore = KeyStore.getInstance("PKCS11", provider);
        keyStore.load(null, token.pin());
    }

    @Test
    public void tokenIsSetUpWhereSurefirePointsSoftHsm() {
        assertEquals(token.dir().resolve("softhsm2.conf").toString(), System.getenv("SOFTHSM2_CONF"));
        assertTrue(Files.isRegularFile(token.library()));
        assertEquals("hsmsign-test", token.tokenLabel());
        assertArrayEquals("123456".toCharArray(), token.pin());
        assertArrayEquals("87654321".toCharArray(), token.soPin());
        assertTrue(token.sunPkcs11Config().endsWith("\nslot=" + token.slotId()));
        ToolResult list = ExternalTool.run(List.of("pkcs11-tool", "--module", token.library().toString(), "-L"));
        assertTrue(list.output(), list.output().contains(
                "Slot " + token.slotListIndex() + " (0x" + Long.toHexString(token.slotId()) + ")"));
    }

    @Test
    public void slotListIndexSelectsTheSameToken() throws Exception {
        Provider byIndex = Security.getProvider("SunPKCS11").configure(
                "--name=hsmsign-test-index\nlibrary=" + token.library() + "\nslotListIndex=" + token.slotListIndex());
        KeyStore store = KeyStore.getInstance("PKCS11", byIndex);
        store.load(null, token.pin());
        assertEquals(Set.copyOf(Collections.list(keyStore.aliases())), Set.copyOf(Collections.list(store.aliases())));
    }

    @Test
    public void everyKeySignsAndItsChainIsTheLeafOnly() throws Exception {
        assertTrue(Set.copyOf(Collections.list(keyStore.aliases())).containsAll(ALIASES));
        byte[] data = "fixture".getBytes(StandardCharsets.UTF_8);
        Path dataFile = Files.write(tmp.newFile().toPath(), data);
        for (String alias : ALIASES) {
            X509Certificate certificate = token.certificate(alias);
            assertArrayEquals(alias, new X509Certificate[] {certificate}, keyStore.getCertificateChain(alias));
            assertEquals(certificate.getPublicKey(), token.publicKey(alias));
            certificate.verify(TestPki.shared().caCertificate().getPublicKey());

            String algorithm = "RSA".equals(certificate.getPublicKey().getAlgorithm())
                    ? "SHA256withRSA" : "SHA256withECDSA";
            Signature signer = Signature.getInstance(algorithm, provider);
            signer.initSign((PrivateKey) keyStore.getKey(alias, null));
            signer.update(data);
            byte[] signature = signer.sign();

            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate);
            verifier.update(data);
            assertTrue(alias, verifier.verify(signature));
            assertOpensslAccepts(alias, certificate, dataFile, signature);
        }
    }

    @Test
    public void certificatesHaveTheAdvertisedProperties() throws Exception {
        assertEquals("CN=HSM Signing Test rsa3072,O=HSM Signing Tests",
                token.certificate(SoftHsmToken.RSA3072).getSubjectX500Principal().getName());
        assertTrue(token.certificate(SoftHsmToken.ECP384).getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.3"));
        assertFalse(token.certificate(SoftHsmToken.NOCODESIGN).getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.3"));
        assertThrows(CertificateExpiredException.class, () -> token.certificate(SoftHsmToken.EXPIRED).checkValidity());
        assertThrows(IllegalArgumentException.class, () -> token.certificate("missing"));

        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(token.chainPem(SoftHsmToken.ECP256))) {
            assertEquals(List.of(token.certificate(SoftHsmToken.ECP256), TestPki.shared().caCertificate()),
                    List.copyOf(factory.generateCertificates(in)));
        }
        try (InputStream in = Files.newInputStream(token.caPem())) {
            assertEquals(TestPki.shared().caCertificate(), factory.generateCertificate(in));
        }
    }

    private void assertOpensslAccepts(String alias, X509Certificate certificate, Path data, byte[] signature)
            throws Exception {
        Path publicKey = Files.writeString(tmp.newFile().toPath(), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(certificate.getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Path signatureFile = Files.write(tmp.newFile().toPath(), signature);
        ToolResult result = ExternalTool.run(List.of("openssl", "dgst", "-sha256", "-verify", publicKey.toString(),
                "-signature", signatureFile.toString(), data.toString()));
        assertEquals(alias + ": " + result.output(), 0, result.exitCode());
    }
}
