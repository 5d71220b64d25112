package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;

/**
 * Names a PKCS#7 signer's algorithms the way the engine's reports do ({@code SHA-256}, {@code SHA256withRSA}), for
 * every PKCS#7 signer: detached CMS, Authenticode and JAR signature blocks.
 */
public final class SignerAlgorithms {

    private SignerAlgorithms() {
    }

    /** {@code SHA-256}, or the OID of a digest the engine does not accept. */
    public static String digest(SignerInformation signer) {
        DigestAlgorithm digest = DigestAlgorithm.fromOid(signer.getDigestAlgorithmID().getAlgorithm());
        return digest == null ? signer.getDigestAlgOID() : digest.jcaName();
    }

    /** {@code SHA256withRSA}, {@code SHA256withECDSA}, {@code SHA256withRSASSA-PSS}, or the raw OID. */
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
            return oid;
        }
        return digest == null ? oid : new SignatureAlgorithm(scheme, digest).jcaName();
    }
}
