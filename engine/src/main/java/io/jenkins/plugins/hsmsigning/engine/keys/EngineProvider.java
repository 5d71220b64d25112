package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.List;
import java.util.Map;

/**
 * A JCA provider whose keys are {@link SigningKey}s. Libraries that insist on a {@link PrivateKey} and a
 * {@link Provider} (jsign, the JDK's JarSigner) sign through it, and so through the same token cap, re-login and
 * digest-only path as the engine's own formats. It is never registered in the JVM.
 */
public final class EngineProvider extends Provider {

    private static final long serialVersionUID = 1L;

    static final EngineProvider INSTANCE = new EngineProvider();

    private EngineProvider() {
        super("HsmSigningEngine", "1.0", "Signs with keys opened by the HSM Signing engine");
        for (DigestAlgorithm digest : DigestAlgorithm.values()) {
            String d = digest.compactName();
            register(d + "withRSA", SignatureScheme.RSA_PKCS1, digest, List.of());
            register(d + "withECDSA", SignatureScheme.ECDSA, digest, List.of(d + "withEC"));
            register(d + "withRSASSA-PSS", SignatureScheme.RSA_PSS, digest, List.of(d + "withRSAandMGF1"));
        }
        register("RSASSA-PSS", SignatureScheme.RSA_PSS, null, List.of());
    }

    private void register(String name, SignatureScheme scheme, DigestAlgorithm digest, List<String> aliases) {
        putService(new Service(this, "Signature", name, EngineSignatureSpi.class.getName(), aliases,
                Map.of("SupportedKeyClasses", EngineKey.class.getName())) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new EngineSignatureSpi(scheme, digest);
            }

            @Override
            public boolean supportsParameter(Object parameter) {
                return parameter instanceof EngineKey;
            }
        });
    }

    static PrivateKey keyFor(SigningKey key) {
        var publicKey = key.certificate().getPublicKey();
        if (publicKey instanceof RSAPublicKey rsa) {
            return new EngineRsaKey(key, rsa.getModulus());
        }
        if (publicKey instanceof ECPublicKey ec) {
            return new EngineEcKey(key, ec.getParams());
        }
        return new EngineKey(key, publicKey.getAlgorithm());
    }

    /** A handle on a {@link SigningKey}; it holds no key material and cannot be encoded. */
    static class EngineKey implements PrivateKey {

        private static final long serialVersionUID = 1L;

        private final transient SigningKey signingKey;
        private final String algorithm;

        EngineKey(SigningKey signingKey, String algorithm) {
            this.signingKey = signingKey;
            this.algorithm = algorithm;
        }

        SigningKey signingKey() {
            return signingKey;
        }

        @Override
        public String getAlgorithm() {
            return algorithm;
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }

        @Override
        public String toString() {
            return "EngineKey[" + signingKey.description() + "]";
        }
    }

    /** Exposes the modulus so that key-size checks (JarSigner's disabled-algorithm constraints) work. */
    static final class EngineRsaKey extends EngineKey implements RSAKey {

        private static final long serialVersionUID = 1L;

        private final BigInteger modulus;

        EngineRsaKey(SigningKey signingKey, BigInteger modulus) {
            super(signingKey, "RSA");
            this.modulus = modulus;
        }

        @Override
        public BigInteger getModulus() {
            return modulus;
        }
    }

    /** Exposes the curve so that key-size checks work. */
    static final class EngineEcKey extends EngineKey implements ECKey {

        private static final long serialVersionUID = 1L;

        private final transient ECParameterSpec params;

        EngineEcKey(SigningKey signingKey, ECParameterSpec params) {
            super(signingKey, "EC");
            this.params = params;
        }

        @Override
        public ECParameterSpec getParams() {
            return params;
        }
    }
}
