package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;

/** Maps the engine's algorithms onto OpenPGP's numbers. */
final class PgpAlgorithms {

    private PgpAlgorithms() {
    }

    static int hash(DigestAlgorithm digest) {
        switch (digest) {
            case SHA384:
                return HashAlgorithmTags.SHA384;
            case SHA512:
                return HashAlgorithmTags.SHA512;
            default:
                return HashAlgorithmTags.SHA256;
        }
    }

    /** Null for hashes the verifier does not accept (SHA-1, MD5, RIPEMD). */
    static DigestAlgorithm digest(int hashAlgorithm) {
        switch (hashAlgorithm) {
            case HashAlgorithmTags.SHA256:
                return DigestAlgorithm.SHA256;
            case HashAlgorithmTags.SHA384:
                return DigestAlgorithm.SHA384;
            case HashAlgorithmTags.SHA512:
                return DigestAlgorithm.SHA512;
            default:
                return null;
        }
    }

    static int keyAlgorithm(SignatureScheme scheme) {
        return scheme == SignatureScheme.ECDSA ? PublicKeyAlgorithmTags.ECDSA : PublicKeyAlgorithmTags.RSA_GENERAL;
    }

    static SignatureScheme scheme(int keyAlgorithm) {
        return keyAlgorithm == PublicKeyAlgorithmTags.ECDSA ? SignatureScheme.ECDSA : SignatureScheme.RSA_PKCS1;
    }
}
