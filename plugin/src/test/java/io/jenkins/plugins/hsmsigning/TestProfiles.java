package io.jenkins.plugins.hsmsigning;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.Pkcs11KeySourceConfig;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;

/** A signing profile on the engine's SoftHSM2 test token, and the credential with its PIN. */
public final class TestProfiles {

    public static final String PROFILE = "release";
    public static final String PIN_ID = "hsm-pin";

    private TestProfiles() {
    }

    /**
     * RSA-3072 key of the test token; its certificate and the test CA as certificate chain, so that signatures carry
     * the CA and verification knows the signer's OpenPGP key; the test CA as trust anchor. Open to every job and to
     * inline scripts, as profiles saved before the origin rules are, so that tests of other behaviour can use inline
     * pipelines; {@link #closed} is a profile as a new one starts.
     */
    public static SigningProfile release(SoftHsmToken token) throws IOException {
        SigningProfile profile = closed(token);
        profile.setAnyJob(true);
        profile.setScriptFromScmOnly(false);
        return profile;
    }

    /** The release profile with the defaults of a new profile: no job, script from SCM only, no replay, no fork. */
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

    /** The release profile and its PIN as a global credential: what most tests sign with. */
    public static SoftHsmToken useTestToken() throws IOException {
        SoftHsmToken token = SoftHsmToken.shared();
        SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
        credentials.getCredentials().add(pin(token));
        credentials.save();
        HsmSigningConfiguration.get().setProfiles(List.of(release(token)));
        return token;
    }

    public static StringCredentialsImpl pin(SoftHsmToken token) {
        return new StringCredentialsImpl(CredentialsScope.GLOBAL, PIN_ID, "PIN of the test token",
                Secret.fromString(pinText(token)));
    }

    public static String pinText(SoftHsmToken token) {
        return new String(token.pin());
    }
}
