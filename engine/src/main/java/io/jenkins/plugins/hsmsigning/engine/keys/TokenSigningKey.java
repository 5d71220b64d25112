package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;

/**
 * A key on a shared {@link Pkcs11Token}. Each operation waits for a slot under the token's cap. When the token has
 * lost its login (another program logged out, the token was reset), it logs in again once and fetches the key anew.
 */
final class TokenSigningKey extends SigningKey {

    private final Pkcs11Token token;
    private final String alias;
    private final Secret pin;
    private PrivateKey key;
    private int keyGeneration;
    private boolean closed;

    TokenSigningKey(Pkcs11Token token, String alias, Secret pin, PrivateKey key, List<X509Certificate> chain,
            String description) {
        super(chain, description);
        this.token = token;
        this.alias = alias;
        this.pin = pin;
        this.key = key;
        this.keyGeneration = token.loginGeneration();
    }

    @Override
    byte[] signRaw(String jcaAlgorithm, AlgorithmParameterSpec parameters, byte[] input) throws SigningException {
        try {
            token.limiter().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException(Kind.KEY, "Interrupted while waiting for " + token.displayName() + ".", e);
        }
        try {
            try {
                return signOnce(jcaAlgorithm, parameters, input);
            } catch (Exception e) {
                if (!Pkcs11Errors.loginLost(e)) {
                    throw e;
                }
                try {
                    token.relogin(pin, currentGeneration());
                    refreshKey();
                } catch (SigningException lost) {
                    throw new SigningException(Kind.KEY, description() + " lost its login and could not log in again"
                            + " (the token was removed, reset or its PIN changed): " + lost.getMessage()
                            + " Nothing was signed.", lost);
                }
                return signOnce(jcaAlgorithm, parameters, input);
            }
        } catch (SigningException e) {
            throw e;
        } catch (Exception e) {
            String problem = Pkcs11Errors.tokenGone(e) ? " is no longer available" : " failed to sign";
            throw new SigningException(Kind.KEY, description() + problem + ": " + Pkcs11Errors.rootMessage(e) + ".", e);
        } finally {
            token.limiter().release();
        }
    }

    private byte[] signOnce(String jcaAlgorithm, AlgorithmParameterSpec parameters, byte[] input) throws Exception {
        Signature signature = Signature.getInstance(jcaAlgorithm, token.provider());
        if (parameters != null) {
            signature.setParameter(parameters);
        }
        signature.initSign(currentKey());
        signature.update(input);
        return signature.sign();
    }

    private synchronized PrivateKey currentKey() throws SigningException {
        if (closed) {
            throw new IllegalStateException(description() + " was closed");
        }
        if (keyGeneration != token.loginGeneration()) {
            refreshKey();
        }
        return key;
    }

    private synchronized int currentGeneration() {
        return keyGeneration;
    }

    private synchronized void refreshKey() throws SigningException {
        keyGeneration = token.loginGeneration();
        key = token.privateKey(alias);
    }

    Pkcs11Token token() {
        return token;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            pin.close();
            token.release();
        }
    }
}
