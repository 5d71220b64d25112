package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.keys.Providers;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter;

/**
 * Lets Bouncy Castle verify an OpenPGP signature from a digest state that already holds the artifact: Bouncy
 * Castle appends the trailer it parsed, this class checks the signature over the final digest, with RSA (PKCS#1
 * v1.5), ECDSA or EdDSA (Ed25519, Ed448) as the key's algorithm says; no other key type is ever tried as one of these.
 */
final class PrehashedPgpVerifier implements PGPContentVerifierBuilderProvider {

    private final MessageDigest state;
    private final DigestAlgorithm digest;

    PrehashedPgpVerifier(MessageDigest state, DigestAlgorithm digest) {
        this.state = state;
        this.digest = digest;
    }

    @Override
    public PGPContentVerifierBuilder get(int keyAlgorithm, int hashAlgorithm) throws PGPException {
        if (PgpAlgorithms.digest(hashAlgorithm) != digest) {
            throw new PGPException("hash algorithm " + hashAlgorithm + " was not computed");
        }
        return publicKey -> verifier(keyAlgorithm, hashAlgorithm, publicKey);
    }

    private PGPContentVerifier verifier(int keyAlgorithm, int hashAlgorithm, PGPPublicKey publicKey)
            throws PGPException {
        PublicKey jcaKey = new JcaPGPKeyConverter().setProvider(Providers.bouncyCastle()).getPublicKey(publicKey);
        PgpAlgorithms.Kind kind = PgpAlgorithms.kind(keyAlgorithm);
        if (kind == null) {
            throw new PGPException("OpenPGP public-key algorithm " + keyAlgorithm + " cannot be checked");
        }
        return new PGPContentVerifier() {
            @Override
            public OutputStream getOutputStream() {
                return new TokenPgpSigner.DigestStream(state);
            }

            @Override
            public boolean verify(byte[] expected) {
                try {
                    byte[] hash = state.digest();
                    Signature raw;
                    byte[] input;
                    if (kind == PgpAlgorithms.Kind.ECDSA) {
                        raw = Signature.getInstance("NONEwithECDSA", Providers.bouncyCastle());
                        input = hash;
                    } else if (kind == PgpAlgorithms.Kind.EDDSA) {
                        // OpenPGP's EdDSA signs the hash, as the message (legacy EdDSA and RFC 9580 alike)
                        raw = Signature.getInstance(jcaKey.getAlgorithm(), Providers.bouncyCastle());
                        input = hash;
                    } else {
                        raw = Signature.getInstance("NONEwithRSA", Providers.bouncyCastle());
                        input = new DigestInfo(digest.algorithmIdentifier(), hash).getEncoded(ASN1Encoding.DER);
                    }
                    raw.initVerify(jcaKey);
                    raw.update(input);
                    return raw.verify(expected);
                } catch (GeneralSecurityException | IOException | RuntimeException e) {
                    return false;
                }
            }

            @Override
            public int getHashAlgorithm() {
                return hashAlgorithm;
            }

            @Override
            public int getKeyAlgorithm() {
                return keyAlgorithm;
            }

            @Override
            public long getKeyID() {
                return publicKey.getKeyID();
            }
        };
    }
}
