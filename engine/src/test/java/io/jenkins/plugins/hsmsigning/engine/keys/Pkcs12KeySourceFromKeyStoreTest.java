package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link Pkcs12KeySource#of(KeyStore, char[], String)}: a keystore someone else loaded, of any type. */
public class Pkcs12KeySourceFromKeyStoreTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final TestPki pki = TestPki.shared();

    @Test
    public void aLoadedPkcs12KeystoreSignsAndVerifies() throws Exception {
        KeyPair pair = TestPki.generateEc("secp256r1");
        X509Certificate cert = pki.issueCodeSigning(pair.getPublic(), "loaded p12");
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        loaded.load(new ByteArrayInputStream(pki.pkcs12(pair, new X509Certificate[] {cert}, "dev",
                "pw".toCharArray())), "pw".toCharArray());
        assertSignsAndVerifies(loaded, cert);
    }

    @Test
    public void aKeystoreOfAnotherTypeIsReencodedAsPkcs12() throws Exception {
        KeyPair pair = TestPki.generateRsa(2048);
        X509Certificate cert = pki.issueCodeSigning(pair.getPublic(), "jks key");
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry("dev", pair.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        jks.setCertificateEntry("ca", pki.caCertificate());
        assertSignsAndVerifies(jks, cert);
    }

    @Test
    public void theCallersPasswordArrayIsNeitherKeptNorWiped() throws Exception {
        KeyPair pair = TestPki.generateEc("secp256r1");
        X509Certificate cert = pki.issueCodeSigning(pair.getPublic(), "array");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("dev", pair.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        char[] password = "pw".toCharArray();
        Pkcs12KeySource source = Pkcs12KeySource.of(ks, password, "credential 'dev'");
        assertArrayEquals("pw".toCharArray(), password);
        java.util.Arrays.fill(password, '\0');
        try (Secret pw = Secret.of("pw".toCharArray()); SigningKey key = source.open(pw)) {
            assertEquals(cert, key.certificate());
        }
    }

    @Test
    public void aWrongPasswordIsNamed() throws Exception {
        KeyPair pair = TestPki.generateEc("secp256r1");
        X509Certificate cert = pki.issueCodeSigning(pair.getPublic(), "wrong");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("dev", pair.getPrivate(), "right".toCharArray(), new X509Certificate[] {cert});
        SigningException e = assertThrows(SigningException.class,
                () -> Pkcs12KeySource.of(ks, "wrong".toCharArray(), "credential 'dev'"));
        assertEquals(SigningException.Kind.KEY, e.kind());
        assertThat(e.getMessage(), containsString("credential 'dev'"));
        assertThat(e.getMessage(), containsString("password is wrong"));
        assertThat(e.getMessage(), org.hamcrest.CoreMatchers.not(containsString("right")));
    }

    @Test
    public void anUnloadedOrKeylessKeystoreIsRefused() throws Exception {
        KeyStore unloaded = KeyStore.getInstance("PKCS12");
        SigningException e = assertThrows(SigningException.class,
                () -> Pkcs12KeySource.of(unloaded, "pw".toCharArray(), "credential 'broken'"));
        assertEquals(SigningException.Kind.KEY, e.kind());
        assertThat(e.getMessage(), containsString("The keystore credential 'broken' cannot be read"));

        KeyStore certificatesOnly = KeyStore.getInstance("PKCS12");
        certificatesOnly.load(null, null);
        certificatesOnly.setCertificateEntry("ca", pki.caCertificate());
        e = assertThrows(SigningException.class,
                () -> Pkcs12KeySource.of(certificatesOnly, "pw".toCharArray(), "credential 'ca'"));
        assertThat(e.getMessage(), containsString("holds no private key"));
    }

    private void assertSignsAndVerifies(KeyStore keyStore, X509Certificate cert) throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "artifact-" + cert.getSerialNumber(), 2000);
        try (Secret password = Secret.of("pw".toCharArray());
                SigningKey key = Pkcs12KeySource.of(keyStore, "pw".toCharArray(), "credential 'dev'")
                        .keyAlias("dev").certificateChain(List.of(pki.caCertificate())).open(password)) {
            assertEquals(cert, key.certificate());
            assertEquals(2, key.chain().size());
            assertEquals(Status.SIGNED, new ArtifactSigner(key, SigningOptions.defaults()).sign(artifact, "a")
                    .get(0).status());
        }
        assertEquals(Status.VERIFIED, new Verifier(VerificationOptions.trusting(List.of(pki.caCertificate())))
                .verify(artifact, "a").get(0).status());
    }
}
