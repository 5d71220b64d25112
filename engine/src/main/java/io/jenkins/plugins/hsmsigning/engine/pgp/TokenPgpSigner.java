package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.operator.PGPContentSigner;
import org.bouncycastle.openpgp.operator.PGPContentSignerBuilder;

/**
 * OpenPGP signing that hashes in the JVM and sends only the digest to the key. Given a digest state that already
 * holds the artifact, Bouncy Castle appends the signature trailer and the artifact is not read again.
 */
final class TokenPgpSigner implements PGPContentSignerBuilder {

    private final SigningKey key;
    private final SignatureAlgorithm algorithm;
    private final long keyId;
    private final MessageDigest state;

    /** {@code state} holds what was hashed so far (the artifact), or is fresh for key certifications. */
    TokenPgpSigner(SigningKey key, SignatureAlgorithm algorithm, long keyId, MessageDigest state) {
        this.key = key;
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.state = state;
    }

    @Override
    public PGPContentSigner build(int signatureType, PGPPrivateKey ignored) {
        return new PGPContentSigner() {
            private byte[] digest;

            @Override
            public OutputStream getOutputStream() {
                return new DigestStream(state);
            }

            @Override
            public byte[] getSignature() {
                try {
                    return key.signDigest(algorithm, getDigest());
                } catch (SigningException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }

            @Override
            public byte[] getDigest() {
                if (digest == null) {
                    digest = state.digest();
                }
                return digest.clone();
            }

            @Override
            public int getType() {
                return signatureType;
            }

            @Override
            public int getHashAlgorithm() {
                return PgpAlgorithms.hash(algorithm.digest());
            }

            @Override
            public int getKeyAlgorithm() {
                return PgpAlgorithms.keyAlgorithm(algorithm.scheme());
            }

            @Override
            public long getKeyID() {
                return keyId;
            }
        };
    }

    /** An output stream into a digest. */
    static final class DigestStream extends OutputStream {
        private final MessageDigest digest;

        DigestStream(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }
}
