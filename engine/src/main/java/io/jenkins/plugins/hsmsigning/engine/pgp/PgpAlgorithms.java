package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.gnu.GNUObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.bcpg.ECPublicBCPGKey;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;

/** Maps the engine's algorithms onto OpenPGP's numbers, and OpenPGP's numbers onto names people read. */
final class PgpAlgorithms {

    /** RSA keys shorter than this are refused as weak. */
    static final int MIN_RSA_BITS = 2048;

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

    /** Null for hashes the verifier does not accept (SHA-1, MD5, RIPEMD, SHA-224, SHA-3). */
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

    /** Hashes refused because they are broken, as opposed to merely not supported. */
    static boolean weakHash(int hashAlgorithm) {
        return hashAlgorithm == HashAlgorithmTags.MD5 || hashAlgorithm == HashAlgorithmTags.SHA1
                || hashAlgorithm == HashAlgorithmTags.RIPEMD160 || hashAlgorithm == HashAlgorithmTags.MD2;
    }

    static String hashName(int hashAlgorithm) {
        DigestAlgorithm digest = digest(hashAlgorithm);
        if (digest != null) {
            return digest.jcaName();
        }
        return switch (hashAlgorithm) {
            case HashAlgorithmTags.MD5 -> "MD5";
            case HashAlgorithmTags.SHA1 -> "SHA-1";
            case HashAlgorithmTags.RIPEMD160 -> "RIPEMD-160";
            case HashAlgorithmTags.MD2 -> "MD2";
            case HashAlgorithmTags.SHA224 -> "SHA-224";
            case HashAlgorithmTags.SHA3_256 -> "SHA3-256";
            case HashAlgorithmTags.SHA3_512 -> "SHA3-512";
            default -> "an unknown hash (OpenPGP hash algorithm " + hashAlgorithm + ")";
        };
    }

    static int keyAlgorithm(SignatureScheme scheme) {
        return scheme == SignatureScheme.ECDSA ? PublicKeyAlgorithmTags.ECDSA : PublicKeyAlgorithmTags.RSA_GENERAL;
    }

    /** The kind of signature the verifier checks for an OpenPGP public-key algorithm; null for any other kind. */
    static Kind kind(int keyAlgorithm) {
        return switch (keyAlgorithm) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> Kind.RSA;
            case PublicKeyAlgorithmTags.ECDSA -> Kind.ECDSA;
            case PublicKeyAlgorithmTags.EDDSA_LEGACY, PublicKeyAlgorithmTags.Ed25519, PublicKeyAlgorithmTags.Ed448 ->
                    Kind.EDDSA;
            default -> null;
        };
    }

    /** The signature schemes an OpenPGP signature can be checked with. */
    enum Kind { RSA, ECDSA, EDDSA }

    /** The algorithm's name without a key: {@code RSA}, {@code ECDSA}, {@code EdDSA}, {@code DSA}, ... */
    static String algorithmName(int keyAlgorithm) {
        return switch (keyAlgorithm) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN,
                    PublicKeyAlgorithmTags.RSA_ENCRYPT -> "RSA";
            case PublicKeyAlgorithmTags.ECDSA -> "ECDSA";
            case PublicKeyAlgorithmTags.EDDSA_LEGACY -> "EdDSA";
            case PublicKeyAlgorithmTags.Ed25519 -> "Ed25519";
            case PublicKeyAlgorithmTags.Ed448 -> "Ed448";
            case PublicKeyAlgorithmTags.DSA -> "DSA";
            case PublicKeyAlgorithmTags.ELGAMAL_GENERAL, PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT -> "ElGamal";
            case PublicKeyAlgorithmTags.ECDH, PublicKeyAlgorithmTags.X25519, PublicKeyAlgorithmTags.X448 -> "ECDH";
            default -> "an unknown algorithm (OpenPGP public-key algorithm " + keyAlgorithm + ")";
        };
    }

    /** {@code RSA-4096}, {@code ECDSA P-256}, {@code Ed25519}, {@code Ed448}: the key as people name it. */
    static String keyName(PGPPublicKey key) {
        int algorithm = key.getAlgorithm();
        return switch (algorithm) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> "RSA-" + key.getBitStrength();
            case PublicKeyAlgorithmTags.ECDSA -> "ECDSA " + curveName(key);
            case PublicKeyAlgorithmTags.EDDSA_LEGACY -> curveName(key).contains("448") ? "Ed448" : "Ed25519";
            default -> algorithmName(algorithm);
        };
    }

    /** {@code RSA-4096 with SHA-256}, {@code Ed25519 with SHA-512}. */
    static String describe(PGPPublicKey key, int keyAlgorithm, int hashAlgorithm) {
        String keyName = key != null ? keyName(key) : algorithmName(keyAlgorithm);
        return keyName + " with " + hashName(hashAlgorithm);
    }

    private static String curveName(PGPPublicKey key) {
        if (key.getPublicKeyPacket().getKey() instanceof ECPublicBCPGKey ec) {
            ASN1ObjectIdentifier oid = ec.getCurveOID();
            String name = ECNamedCurveTable.getName(oid);
            if (name == null) {
                name = GNUObjectIdentifiers.Ed25519.equals(oid) ? "Ed25519"
                        : EdECObjectIdentifiers.id_Ed25519.equals(oid) ? "Ed25519"
                        : EdECObjectIdentifiers.id_Ed448.equals(oid) ? "Ed448"
                        : "curve " + oid.getId();
            }
            return switch (name) {
                case "secp256r1", "prime256v1" -> "P-256";
                case "secp384r1" -> "P-384";
                case "secp521r1" -> "P-521";
                default -> name;
            };
        }
        return "curve unknown";
    }
}
