package io.jenkins.plugins.hsmsigning.credentials;

import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.keys.TokenKey;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Hands a Jenkins {@link Secret} to the engine as characters that are wiped right after use. The secret never
 * leaves the controller and is never logged.
 */
public final class EngineSecrets {

    private EngineSecrets() {
    }

    /** Opens the key; the caller closes it. */
    public static SigningKey open(KeySource source, Secret secret) throws SigningException {
        char[] chars = Secret.toString(secret).toCharArray();
        try (io.jenkins.plugins.hsmsigning.engine.Secret engineSecret =
                io.jenkins.plugins.hsmsigning.engine.Secret.of(chars)) {
            return source.open(engineSecret);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Opens the key of a keystore the credentials plugin loaded (a Certificate credential), re-encoded as PKCS#12 by
     * the engine; the caller closes it.
     */
    public static SigningKey openKeyStore(KeyStore keyStore, Secret password, String name, String keyAlias,
            List<X509Certificate> extraChain) throws SigningException {
        char[] chars = Secret.toString(password).toCharArray();
        try (io.jenkins.plugins.hsmsigning.engine.Secret engineSecret =
                io.jenkins.plugins.hsmsigning.engine.Secret.of(chars)) {
            return Pkcs12KeySource.of(keyStore, chars, name).keyAlias(keyAlias).certificateChain(extraChain)
                    .open(engineSecret);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Logs in to the token and lists its keys (form validation only). */
    public static List<TokenKey> listKeys(Pkcs11KeySource source, Secret pin) throws SigningException {
        char[] chars = Secret.toString(pin).toCharArray();
        try (io.jenkins.plugins.hsmsigning.engine.Secret engineSecret =
                io.jenkins.plugins.hsmsigning.engine.Secret.of(chars)) {
            return source.listKeys(engineSecret);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
