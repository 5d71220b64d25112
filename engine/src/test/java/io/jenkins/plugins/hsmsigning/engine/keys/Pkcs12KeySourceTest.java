package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
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
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class Pkcs12KeySourceTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final TestPki pki = TestPki.shared();

    @Test
    public void aDevelopmentKeySignsAndVerifies() throws Exception {
        for (KeyPair pair : List.of(TestPki.generateRsa(2048), TestPki.generateEc("secp256r1"))) {
            X509Certificate cert = pki.issueCodeSigning(pair.getPublic(), "dev " + pair.getPublic().getAlgorithm());
            byte[] p12 = pki.pkcs12(pair, new X509Certificate[] {cert}, "dev", "pw".toCharArray());
            Path artifact = Artifacts.random(tmp.getRoot().toPath(), "dev" + pair.getPublic().getAlgorithm(), 1000);
            try (Secret password = Secret.of("pw".toCharArray());
                    SigningKey key = Pkcs12KeySource.of(p12, "dev.p12").certificateChain(List.of(pki.caCertificate()))
                            .open(password)) {
                assertEquals(2, key.chain().size());
                assertEquals(Status.SIGNED, new ArtifactSigner(key, SigningOptions.defaults()).sign(artifact, "a").get(0).status());
            }
            assertEquals(Status.VERIFIED, new Verifier(VerificationOptions.trusting(List.of(pki.caCertificate())))
                    .verify(artifact, "a").get(0).status());
        }
    }

    @Test
    public void wrongPasswordAndWrongAliasAreNamed() throws Exception {
        KeyPair pair = TestPki.generateEc("secp256r1");
        X509Certificate cert = pki.issueCodeSigning(pair.getPublic(), "dev");
        byte[] p12 = pki.pkcs12(pair, new X509Certificate[] {cert}, "dev", "pw".toCharArray());
        try (Secret wrong = Secret.of("nope".toCharArray()); Secret right = Secret.of("pw".toCharArray())) {
            SigningException e = assertThrows(SigningException.class, () -> Pkcs12KeySource.of(p12, "dev.p12").open(wrong));
            assertThat(e.getMessage(), containsString("dev.p12"));
            assertThat(e.getMessage(), containsString("password is wrong"));
            e = assertThrows(SigningException.class, () -> Pkcs12KeySource.of(p12, "dev.p12").keyAlias("other").open(right));
            assertThat(e.getMessage(), containsString("no key with alias 'other'"));
        }
    }

    @Test
    public void aCertificateOfAnotherKeyIsRefused() throws Exception {
        KeyPair pair = TestPki.generateEc("secp256r1");
        KeyPair other = TestPki.generateEc("secp256r1");
        X509Certificate otherCert = pki.issueCodeSigning(other.getPublic(), "someone else");
        byte[] p12 = pki.pkcs12(pair, new X509Certificate[] {otherCert}, "dev", "pw".toCharArray());
        try (Secret password = Secret.of("pw".toCharArray())) {
            SigningException e = assertThrows(SigningException.class, () -> Pkcs12KeySource.of(p12, "mixed.p12").open(password));
            assertEquals(SigningException.Kind.KEY, e.kind());
            assertThat(e.getMessage(), containsString("does not verify with its certificate CN=someone else"));
        }
    }
}
