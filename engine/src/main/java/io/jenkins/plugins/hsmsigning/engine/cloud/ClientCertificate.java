package io.jenkins.plugins.hsmsigning.engine.cloud;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/** A TLS client certificate with its key (a PKCS#12 file and its password), as DigiCert ONE asks for. */
public final class ClientCertificate {

    private final byte[] pkcs12;
    private final Secret password;
    private final String name;

    private ClientCertificate(byte[] pkcs12, Secret password, String name) {
        this.pkcs12 = pkcs12;
        this.password = password;
        this.name = name;
    }

    /** {@code name} labels the file in messages (a file name or a credential id); the password is copied. */
    public static ClientCertificate of(byte[] pkcs12, Secret password, String name) {
        return new ClientCertificate(pkcs12.clone(), SecretText.copy(password), name);
    }

    /** A keystore already loaded by someone else (the Jenkins credentials plugin hands out a {@link KeyStore}). */
    public static ClientCertificate of(KeyStore keyStore, Secret password, String name) throws SigningException {
        char[] chars = password.chars();
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            KeyStore copy = KeyStore.getInstance("PKCS12");
            copy.load(null, null);
            for (String alias : java.util.Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias)) {
                    copy.setKeyEntry(alias, keyStore.getKey(alias, chars), chars, keyStore.getCertificateChain(alias));
                }
            }
            copy.store(out, chars);
            return of(out.toByteArray(), password, name);
        } catch (Exception e) {
            throw new SigningException(Kind.CONFIGURATION, "The client certificate " + name + " cannot be read ("
                    + e.getClass().getSimpleName() + ").", e);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    KeyManager[] keyManagers() throws SigningException {
        char[] chars = password.chars();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), chars);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, chars);
            return factory.getKeyManagers();
        } catch (Exception e) {
            throw new SigningException(Kind.CONFIGURATION, "The client certificate " + name + " cannot be read: "
                    + "check that it is a PKCS#12 file and its password (" + e.getClass().getSimpleName() + ").", e);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "client certificate " + name;
    }
}
