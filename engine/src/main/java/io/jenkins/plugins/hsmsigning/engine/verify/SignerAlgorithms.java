package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.teletrust.TeleTrusTObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/**
 * Names a PKCS#7 signer's algorithms the way the engine's reports do ({@code SHA-256}, {@code SHA256withRSA}, and for
 * people {@code RSA-3072 with SHA-256}), never by OID, for every PKCS#7 signer: detached CMS, Authenticode and JAR
 * signature blocks. It also says which refusal a digest the engine does not accept deserves.
 */
public final class SignerAlgorithms {

    /** Digests refused because they are broken, by OID, with their names. */
    private static final Map<ASN1ObjectIdentifier, String> WEAK_DIGESTS = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            PKCSObjectIdentifiers.md5, "MD5",
            PKCSObjectIdentifiers.md2, "MD2",
            TeleTrusTObjectIdentifiers.ripemd160, "RIPEMD-160");

    private SignerAlgorithms() {
    }

    /** {@code SHA-256}, or the name of a digest the engine does not accept ({@code SHA-1}). */
    public static String digest(SignerInformation signer) {
        return digestName(signer.getDigestAlgorithmID().getAlgorithm());
    }

    /** A digest's name, never its OID when any name is known. */
    public static String digestName(ASN1ObjectIdentifier oid) {
        DigestAlgorithm digest = DigestAlgorithm.fromOid(oid);
        if (digest != null) {
            return digest.jcaName();
        }
        if (WEAK_DIGESTS.containsKey(oid)) {
            return WEAK_DIGESTS.get(oid);
        }
        if (NISTObjectIdentifiers.id_sha224.equals(oid)) {
            return "SHA-224";
        }
        return new DefaultAlgorithmNameFinder().getAlgorithmName(oid);
    }

    /**
     * Null for a digest the engine accepts; otherwise {@link Failure#WEAK_ALGORITHM} for a broken one (SHA-1, MD5)
     * and {@link Failure#UNSUPPORTED} for one it does not know: a policy refusal, never a forgery.
     */
    public static Failure refusal(ASN1ObjectIdentifier digestOid) {
        if (DigestAlgorithm.fromOid(digestOid) != null) {
            return null;
        }
        return WEAK_DIGESTS.containsKey(digestOid) ? Failure.WEAK_ALGORITHM : Failure.UNSUPPORTED;
    }

    /** The sentence for {@link #refusal}, about the signature's digest. */
    public static String refusalReason(ASN1ObjectIdentifier digestOid) {
        return refusalReason("the signature", digestOid);
    }

    /** The sentence for {@link #refusal}: {@code what} uses the digest, and why it is refused. */
    public static String refusalReason(String what, ASN1ObjectIdentifier digestOid) {
        String name = digestName(digestOid);
        return refusal(digestOid) == Failure.WEAK_ALGORITHM
                ? what + " uses " + name + ", which is too weak to be accepted: only SHA-256, SHA-384 and SHA-512 are"
                : what + " uses the digest " + name + ", which this verifier does not support: only SHA-256, "
                        + "SHA-384 and SHA-512 are";
    }

    /** {@code SHA256withRSA}, {@code SHA256withECDSA}, {@code SHA256withRSASSA-PSS}, {@code Ed25519}, ... */
    public static String signature(SignerInformation signer) {
        DigestAlgorithm digest = DigestAlgorithm.fromOid(signer.getDigestAlgorithmID().getAlgorithm());
        String oid = signer.getEncryptionAlgOID();
        SignatureScheme scheme;
        if (PKCSObjectIdentifiers.id_RSASSA_PSS.getId().equals(oid)) {
            scheme = SignatureScheme.RSA_PSS;
        } else if (oid.startsWith(PKCSObjectIdentifiers.pkcs_1.getId())) {
            scheme = SignatureScheme.RSA_PKCS1;
        } else if (oid.startsWith(X9ObjectIdentifiers.ansi_X9_62.getId())) {
            scheme = SignatureScheme.ECDSA;
        } else {
            return new DefaultAlgorithmNameFinder().getAlgorithmName(new ASN1ObjectIdentifier(oid));
        }
        if (digest == null) {
            String name = digest(signer).replace("-", "");
            return name + "with" + (scheme == SignatureScheme.ECDSA ? "ECDSA"
                    : scheme == SignatureScheme.RSA_PSS ? "RSASSA-PSS" : "RSA");
        }
        return new SignatureAlgorithm(scheme, digest).jcaName();
    }

    /** {@code RSA-3072 with SHA-256}, {@code RSA-3072 (PSS) with SHA-384}, {@code ECDSA P-256 with SHA-256}. */
    public static String describe(SignerInformation signer, X509Certificate certificate) {
        String oid = signer.getEncryptionAlgOID();
        String key = keyName(certificate.getPublicKey());
        if (EdECObjectIdentifiers.id_Ed25519.getId().equals(oid) || EdECObjectIdentifiers.id_Ed448.getId()
                .equals(oid)) {
            return key;
        }
        String pss = PKCSObjectIdentifiers.id_RSASSA_PSS.getId().equals(oid) ? " (PSS)" : "";
        return key + pss + " with " + digest(signer);
    }

    private static String curveName(ECPublicKey key) {
        try {
            var parameters = SubjectPublicKeyInfo.getInstance(key.getEncoded())
                    .getAlgorithm().getParameters();
            if (parameters instanceof ASN1ObjectIdentifier curve) {
                String name = ECNamedCurveTable.getName(curve);
                if (name != null) {
                    return switch (name) {
                        case "secp256r1", "prime256v1" -> "P-256";
                        case "secp384r1" -> "P-384";
                        case "secp521r1" -> "P-521";
                        default -> name;
                    };
                }
            }
        } catch (RuntimeException e) {
            // an unusual encoding: named by size below
        }
        return key.getParams().getCurve().getField().getFieldSize() + "-bit curve";
    }

    /** {@code RSA-3072}, {@code ECDSA P-256}, {@code Ed25519}. */
    public static String keyName(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return "ECDSA " + curveName(ec);
        }
        return key.getAlgorithm().equals("EdDSA") ? "Ed25519" : key.getAlgorithm();
    }
}
