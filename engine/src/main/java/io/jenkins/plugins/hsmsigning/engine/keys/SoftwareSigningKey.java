package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;

/** A key held in memory (PKCS#12). Raw operations run on a private Bouncy Castle provider instance. */
final class SoftwareSigningKey extends SigningKey {

    private final PrivateKey key;

    SoftwareSigningKey(PrivateKey key, List<X509Certificate> chain, String description) {
        super(chain, description);
        this.key = key;
    }

    @Override
    byte[] signRaw(String jcaAlgorithm, AlgorithmParameterSpec parameters, byte[] input) throws SigningException {
        try {
            Signature signature = Signature.getInstance(jcaAlgorithm, Providers.bouncyCastle());
            if (parameters != null) {
                signature.setParameter(parameters);
            }
            signature.initSign(key);
            signature.update(input);
            return signature.sign();
        } catch (Exception e) {
            throw new SigningException(Kind.KEY, "Signing with " + description() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // nothing held outside the garbage-collected key
    }
}
