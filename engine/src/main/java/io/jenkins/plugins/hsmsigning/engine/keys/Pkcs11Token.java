package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One token of one PKCS#11 library, shared by every signer in the JVM. PKCS#11 login state belongs to the token, not
 * to a provider instance, so a second provider would share the login and a logout in either would invalidate the
 * other's keys: hence one provider, one login and one operation limit per token. The token logs out when its last
 * user closes.
 */
final class Pkcs11Token {

    private static final Map<TokenId, Pkcs11Token> TOKENS = new HashMap<>();
    private static final AtomicInteger PROVIDER_NAMES = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private record TokenId(Path library, long slot) {
    }

    private final TokenId id;
    private final String displayName;
    private final Provider provider;
    private final KeyStore keyStore;
    private final OperationLimiter limiter;
    private int users;
    private byte[] pinKey;
    private byte[] pinHash;
    private int loginGeneration;

    private Pkcs11Token(TokenId id, String displayName, Provider provider, KeyStore keyStore, int maxOperations) {
        this.id = id;
        this.displayName = displayName;
        this.provider = provider;
        this.keyStore = keyStore;
        this.limiter = new OperationLimiter(maxOperations);
    }

    /** The shared token for this library and slot, counted as one more user until {@link #release()}. */
    static Pkcs11Token acquire(Path library, long slot, String displayName, int maxOperations) throws SigningException {
        synchronized (TOKENS) {
            TokenId tokenId = new TokenId(library, slot);
            Pkcs11Token token = TOKENS.get(tokenId);
            if (token == null) {
                Provider provider = configure(library, slot, displayName);
                try {
                    KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
                    token = new Pkcs11Token(tokenId, displayName, provider, keyStore, maxOperations);
                } catch (Exception e) {
                    throw new SigningException(Kind.KEY, displayName + " offers no key store: "
                            + Pkcs11Errors.rootMessage(e) + ".", e);
                }
                TOKENS.put(tokenId, token);
            }
            token.limiter.lowerLimit(maxOperations);
            synchronized (token) {
                token.users++;
            }
            return token;
        }
    }

    private static Provider configure(Path library, long slot, String displayName) throws SigningException {
        String config = "--name=hsmsigning-" + PROVIDER_NAMES.incrementAndGet() + "\n"
                + "library=\"" + library + "\"\n"
                + "slot=" + slot + "\n";
        try {
            return Security.getProvider("SunPKCS11").configure(config);
        } catch (RuntimeException e) {
            String code = Pkcs11Errors.firstMentioned(e, "CKR_TOKEN_NOT_RECOGNIZED", "CKR_SLOT_ID_INVALID",
                    "CKR_TOKEN_NOT_PRESENT", "CKR_GENERAL_ERROR");
            throw new SigningException(Kind.KEY, "Cannot open " + displayName + ": "
                    + (code != null ? code : Pkcs11Errors.rootMessage(e)) + ".", e);
        }
    }

    /**
     * Logs in with {@code pin}, or, when already logged in, checks that {@code pin} is the PIN of that login: a
     * logged-in token would otherwise accept any PIN. A wrong PIN is tried exactly once.
     */
    synchronized void login(Secret pin) throws SigningException {
        char[] chars = pin.chars();
        try {
            if (pinHash != null) {
                if (!MessageDigest.isEqual(pinHash, hash(chars, pinKey))) {
                    throw new SigningException(Kind.KEY, "Wrong PIN for " + displayName
                            + ": it differs from the PIN this token is logged in with. It was not sent to the token.");
                }
                return;
            }
            // A login left by another provider in this JVM would make SunPKCS11 accept any PIN without asking the
            // token; ending it first means the token itself checks this PIN, exactly once.
            logoutQuietly();
            try {
                keyStore.load(null, chars);
            } catch (Exception e) {
                throw loginFailure(e);
            }
            pinKey = new byte[32];
            RANDOM.nextBytes(pinKey);
            pinHash = hash(chars, pinKey);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Logs in again after the token lost its login, unless another signer already did since {@code seenGeneration}.
     * Key handles obtained before are dead afterwards.
     */
    synchronized void relogin(Secret pin, int seenGeneration) throws SigningException {
        if (seenGeneration != loginGeneration) {
            return;
        }
        logoutQuietly();
        char[] chars = pin.chars();
        try {
            keyStore.load(null, chars);
        } catch (Exception e) {
            throw loginFailure(e);
        } finally {
            Arrays.fill(chars, '\0');
        }
        loginGeneration++;
    }

    synchronized int loginGeneration() {
        return loginGeneration;
    }

    private SigningException loginFailure(Exception e) {
        if (Pkcs11Errors.pinLocked(e)) {
            return new SigningException(Kind.KEY, "The PIN of " + displayName
                    + " is locked or expired: unlock it with the token's administration tool.", e);
        }
        if (Pkcs11Errors.wrongPin(e)) {
            return new SigningException(Kind.KEY, "Wrong PIN for " + displayName
                    + ": the token refused the login. It is not retried, because tokens lock after a few failures.", e);
        }
        if (Pkcs11Errors.tokenGone(e)) {
            return new SigningException(Kind.KEY, displayName + " is not available: "
                    + Pkcs11Errors.rootMessage(e) + ".", e);
        }
        return new SigningException(Kind.KEY, "Cannot log in to " + displayName + ": "
                + Pkcs11Errors.rootMessage(e) + ".", e);
    }

    synchronized PrivateKey privateKey(String alias) throws SigningException {
        try {
            if (!keyStore.isKeyEntry(alias)) {
                List<String> aliases = keyAliases();
                throw new SigningException(Kind.KEY, displayName + " has no key with alias '" + alias + "' "
                        + (aliases.isEmpty() ? "(it has no key with a certificate; SunPKCS11 sees only keys whose "
                                + "certificate is stored on the token with the same CKA_ID)"
                                : "(keys with a certificate: " + String.join(", ", aliases) + ")") + ".");
            }
            return (PrivateKey) keyStore.getKey(alias, null);
        } catch (SigningException e) {
            throw e;
        } catch (Exception e) {
            throw new SigningException(Kind.KEY, "Cannot read the key '" + alias + "' from " + displayName + ": "
                    + Pkcs11Errors.rootMessage(e) + ".", e);
        }
    }

    synchronized List<X509Certificate> certificateChain(String alias) throws SigningException {
        try {
            Certificate[] chain = keyStore.getCertificateChain(alias);
            List<X509Certificate> list = new ArrayList<>();
            for (Certificate c : chain) {
                list.add((X509Certificate) c);
            }
            return list;
        } catch (Exception e) {
            throw new SigningException(Kind.KEY, "Cannot read the certificate of '" + alias + "' from " + displayName
                    + ": " + Pkcs11Errors.rootMessage(e) + ".", e);
        }
    }

    /** Aliases of keys that have a certificate: what SunPKCS11 can sign with. */
    synchronized List<String> keyAliases() throws SigningException {
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            Collections.sort(keys);
            return keys;
        } catch (Exception e) {
            throw new SigningException(Kind.KEY, "Cannot list the keys of " + displayName + ": "
                    + Pkcs11Errors.rootMessage(e) + ".", e);
        }
    }

    Provider provider() {
        return provider;
    }

    OperationLimiter limiter() {
        return limiter;
    }

    String displayName() {
        return displayName;
    }

    /** Ends one user's share; the last one logs the token out. */
    void release() {
        synchronized (TOKENS) {
            synchronized (this) {
                users--;
                if (users == 0) {
                    logoutQuietly();
                }
            }
        }
    }

    private void logoutQuietly() {
        try {
            ((AuthProvider) provider).logout();
        } catch (Exception e) {
            // not logged in, or the token is gone: either way there is no login left to end
        }
        pinHash = null;
        pinKey = null;
    }

    /**
     * A keyed hash of the PIN, to recognise it without keeping it here. A fast keyed hash is enough: the key is random
     * per login and never leaves this object, and while the token is logged in its keys hold the PIN itself anyway
     * (to log in again), so a slow hash would protect nothing more while making every key opening wait for it.
     */
    private static byte[] hash(char[] pin, byte[] key) throws SigningException {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new SigningException(Kind.KEY, "HmacSHA256 is not available in this Java runtime.", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        return displayName;
    }
}
