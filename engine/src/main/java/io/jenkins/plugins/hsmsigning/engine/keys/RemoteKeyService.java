package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A key held by a network service (a cloud key vault or KMS) that signs digests it is sent. Implementations live in
 * their own package; {@link RemoteKeySource} turns one into a {@link SigningKey}, so that every format signs through
 * the same path and only digests ever leave the machine.
 */
public interface RemoteKeyService {

    /** The service and key, for logs and messages; never a secret. */
    String describe();

    /**
     * Authenticates with {@code secret} (the service's main secret: a client secret, a secret access key, a
     * service-account key, a token; empty where the service needs none) and returns a session that keeps its access
     * token fresh until closed. The secret is copied where the session needs it to authenticate again.
     */
    Session open(Secret secret) throws SigningException;

    /** An authenticated connection to the key. Thread-safe. */
    interface Session extends AutoCloseable {

        /** The certificate chain the service holds for the key, leaf first; empty when it holds none. */
        List<X509Certificate> certificateChain() throws SigningException;

        /**
         * Signs {@code hash}, the {@code digest} of the data, with {@code scheme} (for RSA-PSS the salt is as long as
         * the hash). Returns the signature as Java encodes it: the PKCS#1 bytes for RSA, DER for ECDSA.
         */
        byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException;

        @Override
        void close();
    }
}
