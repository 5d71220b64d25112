package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.Signature;
import java.util.List;
import org.junit.Test;

public class Pkcs11KeySourceTest {

    private final SoftHsmToken token = SoftHsmToken.shared();

    @Test
    public void findsTheTokenByLabelSlotIdAndSlotListIndex() throws Exception {
        Pkcs11KeySource base = Pkcs11KeySource.library(token.library()).keyAlias(SoftHsmToken.RSA3072);
        for (Pkcs11KeySource source : List.of(base.tokenLabel(token.tokenLabel()), base.slotId(token.slotId()),
                base.slotListIndex(token.slotListIndex()))) {
            try (Secret pin = Secret.of(token.pin()); SigningKey key = source.open(pin)) {
                assertEquals(token.certificate(SoftHsmToken.RSA3072), key.certificate());
                assertSignsVerifiably(key);
            }
        }
    }

    @Test
    public void chainComesFromTheTokenAndTheGivenBundle() throws Exception {
        try (Secret pin = Secret.of(token.pin());
                SigningKey leafOnly = Pkcs11KeySource.library(token.library()).tokenLabel(token.tokenLabel())
                        .keyAlias(SoftHsmToken.ECP256).open(pin)) {
            assertEquals(1, leafOnly.chain().size());
        }
        try (SigningKey key = TestKeys.open(SoftHsmToken.ECP256)) {
            assertEquals(List.of(token.certificate(SoftHsmToken.ECP256), TestPki.shared().caCertificate()), key.chain());
        }
    }

    @Test
    public void everyKeyTypeSignsWithEveryDigestAndPss() throws Exception {
        for (String alias : List.of(SoftHsmToken.RSA3072, SoftHsmToken.ECP256, SoftHsmToken.ECP384)) {
            try (SigningKey key = TestKeys.open(alias)) {
                for (DigestAlgorithm digest : DigestAlgorithm.values()) {
                    assertSigns(key, key.algorithm(digest, false).jcaName(), false, digest);
                    if (alias.equals(SoftHsmToken.RSA3072)) {
                        assertSigns(key, key.algorithm(digest, true).jcaName(), true, digest);
                    }
                }
            }
        }
    }

    @Test
    public void unknownLabelNamesTheTokensThatExist() {
        SigningException e = assertThrows(SigningException.class, () -> open(
                Pkcs11KeySource.library(token.library()).tokenLabel("no-such-token").keyAlias("x")));
        assertEquals(SigningException.Kind.KEY, e.kind());
        assertThat(e.getMessage(), containsString("No token with label 'no-such-token'"));
        assertThat(e.getMessage(), containsString("'" + token.tokenLabel() + "'"));
    }

    @Test
    public void missingLibraryIsNamed() {
        SigningException e = assertThrows(SigningException.class, () -> open(
                Pkcs11KeySource.library(Path.of("/nonexistent/libpkcs11.so")).tokenLabel("t").keyAlias("x")));
        assertThat(e.getMessage(), containsString("/nonexistent/libpkcs11.so does not exist"));
    }

    @Test
    public void aFileThatIsNotAPkcs11LibraryIsRefused() {
        SigningException e = assertThrows(SigningException.class, () -> open(
                Pkcs11KeySource.library(Path.of("/bin/true")).tokenLabel("t").keyAlias("x")));
        assertEquals(SigningException.Kind.KEY, e.kind());
        assertThat(e.getMessage(), containsString("/bin/true"));
    }

    @Test
    public void unknownAliasListsTheKeys() {
        SigningException e = assertThrows(SigningException.class, () -> open(TestKeys.source("no-such-key")));
        assertThat(e.getMessage(), containsString("has no key with alias 'no-such-key'"));
        assertThat(e.getMessage(), containsString(SoftHsmToken.RSA3072));
    }

    @Test
    public void exactlyOneTokenSelectorIsRequired() {
        SigningException e = assertThrows(SigningException.class, () -> open(Pkcs11KeySource.library(token.library())
                .tokenLabel(token.tokenLabel()).slotId(token.slotId()).keyAlias("x")));
        assertEquals(SigningException.Kind.CONFIGURATION, e.kind());
    }

    @Test
    public void wrongPinFailsAtOnceAndIsNotRetried() {
        try (Secret wrong = Secret.of("654321".toCharArray())) {
            SigningException e = assertThrows(SigningException.class, () -> TestKeys.source(SoftHsmToken.RSA3072).open(wrong));
            assertEquals(SigningException.Kind.KEY, e.kind());
            assertThat(e.getMessage(), containsString("Wrong PIN"));
            assertThat(e.getMessage(), containsString("not retried"));
        }
    }

    @Test
    public void aLoggedInTokenStillRefusesAWrongPin() throws Exception {
        try (SigningKey open = TestKeys.open(SoftHsmToken.RSA3072); Secret wrong = Secret.of("000000".toCharArray())) {
            SigningException e = assertThrows(SigningException.class, () -> TestKeys.source(SoftHsmToken.ECP256).open(wrong));
            assertThat(e.getMessage(), containsString("Wrong PIN"));
            assertSignsVerifiably(open);
        }
    }

    @Test
    public void aLoginLeftByAnotherProviderDoesNotLetAWrongPinThrough() throws Exception {
        java.security.Provider foreign = java.security.Security.getProvider("SunPKCS11").configure(token.sunPkcs11Config());
        java.security.KeyStore.getInstance("PKCS11", foreign).load(null, token.pin());
        try (Secret wrong = Secret.of("111111".toCharArray())) {
            SigningException e = assertThrows(SigningException.class, () -> TestKeys.source(SoftHsmToken.RSA3072).open(wrong));
            assertThat(e.getMessage(), containsString("Wrong PIN"));
        }
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            assertSignsVerifiably(key);
        }
    }

    @Test
    public void expiredCertificateIsRefused() {
        SigningException e = assertThrows(SigningException.class, () -> TestKeys.open(SoftHsmToken.EXPIRED));
        assertThat(e.getMessage(), containsString("expired on"));
    }

    @Test
    public void certificateWithoutCodeSigningIsRefused() {
        SigningException e = assertThrows(SigningException.class, () -> TestKeys.open(SoftHsmToken.NOCODESIGN));
        assertThat(e.getMessage(), containsString("not valid for code signing"));
        assertThat(e.getMessage(), containsString("emailProtection"));
    }

    @Test
    public void aChainBundleOfAnotherKeyIsRefused() {
        SigningException e = assertThrows(SigningException.class, () -> open(TestKeys.source(SoftHsmToken.RSA3072)
                .certificateChain(List.of(token.certificate(SoftHsmToken.ECP256)))));
        assertThat(e.getMessage(), containsString("belongs to another key"));
    }

    @Test
    public void theKeyWorksAgainAfterAnotherProgramLoggedTheTokenOut() throws Exception {
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072); SigningKey other = TestKeys.open(SoftHsmToken.ECP256)) {
            assertSignsVerifiably(key);
            ((AuthProvider) ((TokenSigningKey) key).token().provider()).logout();
            assertSignsVerifiably(key);
            assertSignsVerifiably(other);
        }
    }

    @Test
    public void describesItselfWithoutThePin() throws Exception {
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            String pin = new String(token.pin());
            for (String text : List.of(key.toString(), key.description(), TestKeys.source("x").toString(),
                    key.jcaKey().toString(), Secret.of(token.pin()).toString())) {
                assertThat(text, not(containsString(pin)));
            }
        }
    }

    @Test
    public void listsTheKeysWithTheirCertificatesForTestConnection() throws Exception {
        try (Secret pin = Secret.of(token.pin())) {
            List<TokenKey> keys = Pkcs11KeySource.library(token.library()).tokenLabel(token.tokenLabel()).listKeys(pin);
            TokenKey rsa = keys.stream().filter(k -> k.alias().equals(SoftHsmToken.RSA3072)).findFirst().orElseThrow();
            assertThat(rsa.describe(), containsString("CN=HSM Signing Test rsa3072"));
        }
        try (Secret wrong = Secret.of("999999".toCharArray())) {
            SigningException e = assertThrows(SigningException.class,
                    () -> Pkcs11KeySource.library(token.library()).tokenLabel(token.tokenLabel()).listKeys(wrong));
            assertThat(e.getMessage(), containsString("Wrong PIN"));
        }
    }

    private static void open(Pkcs11KeySource source) throws SigningException {
        try (Secret pin = Secret.of(SoftHsmToken.shared().pin()); SigningKey key = source.open(pin)) {
            assertNotNull(key);
        }
    }

    private static void assertSignsVerifiably(SigningKey key) throws Exception {
        assertSigns(key, key.algorithm(DigestAlgorithm.SHA256, false).jcaName(), false, DigestAlgorithm.SHA256);
    }

    private static void assertSigns(SigningKey key, String jcaName, boolean pss, DigestAlgorithm digest) throws Exception {
        byte[] data = ("data for " + jcaName).getBytes(StandardCharsets.UTF_8);
        var algorithm = key.algorithm(digest, pss);
        byte[] signature = key.sign(algorithm, data);
        Signature verifier = Signature.getInstance(pss ? "RSASSA-PSS" : jcaName);
        if (pss) {
            verifier.setParameter(algorithm.pssParameters());
        }
        verifier.initVerify(key.certificate().getPublicKey());
        verifier.update(data);
        assertEquals(jcaName + " verifies", true, verifier.verify(signature));
    }
}
