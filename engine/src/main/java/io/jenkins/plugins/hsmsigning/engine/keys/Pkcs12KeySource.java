package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A software key in a PKCS#12 keystore, for development and self-signed testing. */
public final class Pkcs12KeySource implements KeySource {

    private final byte[] keystore;
    private final String name;
    private final String keyAlias;
    private final List<X509Certificate> extraChain;

    private Pkcs12KeySource(byte[] keystore, String name, String keyAlias, List<X509Certificate> extraChain) {
        this.keystore = keystore;
        this.name = name;
        this.keyAlias = keyAlias;
        this.extraChain = extraChain;
    }

    /** {@code name} only labels the keystore in messages (a file name or credential id). */
    public static Pkcs12KeySource of(byte[] keystore, String name) {
        return new Pkcs12KeySource(keystore.clone(), name, null, List.of());
    }

    /**
     * A keystore already loaded by someone else (the Jenkins credentials plugin hands out only a {@link KeyStore}),
     * re-encoded here as PKCS#12 protected by {@code password}, whatever its type. Every key entry must be readable
     * with {@code password}, which is not kept: pass it again to {@link #open}. The caller wipes its array.
     */
    public static Pkcs12KeySource of(KeyStore keyStore, char[] password, String name) throws SigningException {
        char[] pw = password == null ? new char[0] : password;
        try {
            KeyStore copy = KeyStore.getInstance("PKCS12");
            copy.load(null, null);
            int keys = 0;
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias)) {
                    Key key = keyStore.getKey(alias, pw);
                    if (!(key instanceof PrivateKey)) {
                        continue;
                    }
                    copy.setKeyEntry(alias, key, pw, keyStore.getCertificateChain(alias));
                    keys++;
                } else if (keyStore.isCertificateEntry(alias)) {
                    copy.setCertificateEntry(alias, keyStore.getCertificate(alias));
                }
            }
            if (keys == 0) {
                throw new SigningException(Kind.KEY, "The keystore " + name + " holds no private key.");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy.store(out, pw);
            return new Pkcs12KeySource(out.toByteArray(), name, null, List.of());
        } catch (SigningException e) {
            throw e;
        } catch (UnrecoverableKeyException e) {
            throw new SigningException(Kind.KEY, "Cannot read the keys of the keystore " + name
                    + ": the password is wrong.", e);
        } catch (KeyStoreException e) {
            throw new SigningException(Kind.KEY, "The keystore " + name + " cannot be read (" + e.getMessage()
                    + "); it may have failed to load.", e);
        } catch (Exception e) {
            throw new SigningException(Kind.KEY, "The keystore " + name + " cannot be re-encoded as PKCS#12: "
                    + e.getClass().getSimpleName() + ".", e);
        }
    }

    /** Without an alias the keystore must hold exactly one key. */
    public Pkcs12KeySource keyAlias(String alias) {
        return new Pkcs12KeySource(keystore, name, blankToNull(alias), extraChain);
    }

    /** Issuer certificates to append when the keystore holds only the leaf. */
    public Pkcs12KeySource certificateChain(List<X509Certificate> chain) {
        return new Pkcs12KeySource(keystore, name, keyAlias, List.copyOf(chain));
    }

    @Override
    public SigningKey open(Secret password) throws SigningException {
        Providers.prepareInBackground();
        char[] chars = password.chars();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try {
                ks.load(new ByteArrayInputStream(keystore), chars);
            } catch (Exception e) {
                throw new SigningException(Kind.KEY, "Cannot open the PKCS#12 keystore " + name
                        + ": the password is wrong or the file is not a PKCS#12 keystore.", e);
            }
            String alias = chooseAlias(ks);
            Key key = ks.getKey(alias, chars);
            if (!(key instanceof PrivateKey)) {
                throw new SigningException(Kind.KEY, "The entry '" + alias + "' of the PKCS#12 keystore " + name
                        + " is not a private key.");
            }
            Certificate[] stored = ks.getCertificateChain(alias);
            if (stored == null || stored.length == 0) {
                throw new SigningException(Kind.KEY, "The key '" + alias + "' of the PKCS#12 keystore " + name
                        + " has no certificate.");
            }
            List<X509Certificate> chain = CertificateChains.assemble(toX509(stored), extraChain);
            SoftwareSigningKey signingKey = new SoftwareSigningKey((PrivateKey) key, chain, describe(alias));
            CertificateChecks.checkUsable(signingKey, describe(alias));
            return signingKey;
        } catch (SigningException e) {
            throw e;
        } catch (Exception e) {
            throw new SigningException(Kind.KEY, "Cannot read the key from the PKCS#12 keystore " + name + ": "
                    + e.getClass().getSimpleName() + ".", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private String chooseAlias(KeyStore ks) throws Exception {
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                keys.add(alias);
            }
        }
        if (keyAlias != null) {
            if (!keys.contains(keyAlias)) {
                throw new SigningException(Kind.KEY, "The PKCS#12 keystore " + name + " has no key with alias '"
                        + keyAlias + "' (it has: " + String.join(", ", keys) + ").");
            }
            return keyAlias;
        }
        if (keys.size() != 1) {
            throw new SigningException(Kind.CONFIGURATION, "The PKCS#12 keystore " + name + " holds " + keys.size()
                    + " keys (" + String.join(", ", keys) + "): set the key alias.");
        }
        return keys.get(0);
    }

    private static List<X509Certificate> toX509(Certificate[] certs) {
        List<X509Certificate> list = new ArrayList<>();
        for (Certificate c : certs) {
            list.add((X509Certificate) c);
        }
        return list;
    }

    private String describe(String alias) {
        return "PKCS#12 keystore " + name + ", key '" + alias + "'";
    }

    @Override
    public String describe() {
        return "PKCS#12 keystore " + name + (keyAlias == null ? "" : ", key '" + keyAlias + "'");
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
