package io.jenkins.plugins.hsmsigning;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.CertificateCredentialsImpl;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.Pkcs11KeySourceConfig;
import io.jenkins.plugins.hsmsigning.config.Pkcs12KeySourceConfig;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;

/**
 * The "release" signing profile and the credential that unlocks its key. Most tests sign with a software key
 * (PKCS#12, a Certificate credential), so they run on every agent; the tests whose point is the token use the
 * engine's SoftHSM2 test token ({@link #useTestToken()}), and are skipped where SoftHSM2 is not installed.
 */
public final class TestProfiles {

    public static final String PROFILE = "release";
    /** The Secret text credential holding the test token's PIN. */
    public static final String PIN_ID = "hsm-pin";
    /** The Certificate credential holding the software key. */
    public static final String KEYSTORE_ID = "release-keystore";
    /** The common name of the software key's certificate, as the build log names the signer. */
    public static final String SIGNER = "HSM Signing Test release";

    private static TestKey softwareKey;

    private TestProfiles() {
    }

    /** The software key: its certificate (issued by the test CA for code signing) and its keystore password. */
    public record TestKey(X509Certificate certificate, String secret, String certificatePem, String privateKeyPem) {

        /** The test CA as PEM: the trust anchor of the release profile. */
        public String caPem() {
            return TestPki.toPem(TestPki.shared().caCertificate());
        }
    }

    /** The software key of this JVM, made on first use. */
    public static synchronized TestKey key() {
        if (softwareKey == null) {
            KeyPair pair = TestPki.generateRsa(2048);
            X509Certificate certificate = TestPki.shared().issueCodeSigning(pair.getPublic(), SIGNER);
            String privateKey = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            softwareKey = new TestKey(certificate, "keystore-password-of-the-test", TestPki.toPem(certificate),
                    privateKey);
        }
        return softwareKey;
    }

    /** The software key as a Certificate credential ({@link #KEYSTORE_ID}). */
    public static CertificateCredentialsImpl keystore(CredentialsScope scope) {
        TestKey key = key();
        return new CertificateCredentialsImpl(scope, KEYSTORE_ID, "release key (software, for tests)", key.secret(),
                new CertificateCredentialsImpl.PEMEntryKeyStoreSource(key.certificatePem(), key.privateKeyPem()));
    }

    /**
     * The release profile on the software key: its certificate and the test CA as certificate chain, so that
     * signatures carry the CA and verification knows the signer's OpenPGP key; the test CA as trust anchor. Open to
     * every job and to inline scripts, as profiles saved before the origin rules are, so that tests of other
     * behaviour can use inline pipelines; {@link #closed()} is a profile as a new one starts.
     */
    public static SigningProfile release() {
        return open(closed());
    }

    /** The release profile on the software key with the defaults of a new profile: no job, script from SCM only. */
    public static SigningProfile closed() {
        TestKey key = key();
        SigningProfile profile = new SigningProfile(PROFILE);
        profile.setDescription("Release signing with a software key");
        profile.setKeySource(new Pkcs12KeySourceConfig(KEYSTORE_ID));
        profile.setCertificateChain(TestPki.toPem(key.certificate(), TestPki.shared().caCertificate()));
        profile.setTrustAnchors(key.caPem());
        return profile;
    }

    /** The release profile on the software key and its global credential: what most tests sign with. */
    public static TestKey useTestKey() throws IOException {
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials.getCredentials().add(keystore(CredentialsScope.GLOBAL));
        credentials.save();
        HsmSigningConfiguration.get().setProfiles(List.of(release()));
        return key();
    }

    /** The release profile on the RSA-3072 key of the SoftHSM2 test token, open like {@link #release()}. */
    public static SigningProfile release(SoftHsmToken token) throws IOException {
        return open(closed(token));
    }

    /**
     * The release profile on the RSA-3072 key of the SoftHSM2 test token with the defaults of a new profile: its
     * certificate and the test CA as certificate chain; the test CA as trust anchor.
     */
    public static SigningProfile closed(SoftHsmToken token) throws IOException {
        Pkcs11KeySourceConfig key = new Pkcs11KeySourceConfig(token.library().toString(), SoftHsmToken.RSA3072,
                PIN_ID);
        key.setTokenLabel(token.tokenLabel());
        SigningProfile profile = new SigningProfile(PROFILE);
        profile.setDescription("Release signing on the test token");
        profile.setKeySource(key);
        profile.setCertificateChain(
                Files.readString(token.chainPem(SoftHsmToken.RSA3072), StandardCharsets.US_ASCII));
        profile.setTrustAnchors(Files.readString(token.caPem(), StandardCharsets.US_ASCII));
        return profile;
    }

    /**
     * The release profile on the test token and its PIN as a global credential, for tests whose point is the token;
     * skips the test where SoftHSM2 is not installed (see {@link SoftHsmToken#shared()}).
     */
    public static SoftHsmToken useTestToken() throws IOException {
        SoftHsmToken token = SoftHsmToken.shared();
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials.getCredentials().add(pin(token));
        credentials.save();
        HsmSigningConfiguration.get().setProfiles(List.of(release(token)));
        return token;
    }

    private static SigningProfile open(SigningProfile profile) {
        profile.setAnyJob(true);
        profile.setScriptFromScmOnly(false);
        return profile;
    }

    public static StringCredentialsImpl pin(SoftHsmToken token) {
        return new StringCredentialsImpl(CredentialsScope.GLOBAL, PIN_ID, "PIN of the test token",
                Secret.fromString(pinText(token)));
    }

    public static String pinText(SoftHsmToken token) {
        return new String(token.pin());
    }
}
