package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.keys.Providers;
import io.jenkins.plugins.hsmsigning.engine.verify.TrustValidator;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformation;

/**
 * Legacy (pre-RFC 3161) Authenticode timestamps: a PKCS#9 countersignature over the signature value. Checked here
 * rather than by Bouncy Castle, which refuses the content-type attribute that Microsoft's countersignatures carry.
 */
final class LegacyTimestamp {

    /** Who countersigned, and the time it states. */
    record Countersignature(X509Certificate authority, Instant time) {
    }

    private LegacyTimestamp() {
    }

    /**
     * Checks that {@code counter} covers {@code signer}'s signature value and verifies with its certificate, found
     * among {@code certificates}; whether that certificate is trusted is the caller's question.
     */
    static Countersignature check(SignerInformation signer, SignerInformation counter,
            List<X509Certificate> certificates) throws GeneralSecurityException {
        X509Certificate authority = null;
        for (X509Certificate candidate : certificates) {
            if (counter.getSID().match(new JcaX509CertificateHolder(candidate))) {
                authority = candidate;
            }
        }
        if (authority == null) {
            throw new GeneralSecurityException("the countersignature's certificate is missing");
        }
        AttributeTable signed = counter.getSignedAttributes();
        byte[] stated = ASN1OctetString.getInstance(value(signed, CMSAttributes.messageDigest)).getOctets();
        byte[] actual = MessageDigest.getInstance(counter.getDigestAlgOID(), Providers.bouncyCastle())
                .digest(signer.getSignature());
        if (!MessageDigest.isEqual(stated, actual)) {
            throw new GeneralSecurityException("the countersignature was made for another signature");
        }
        String algorithm = new DefaultCMSSignatureAlgorithmNameGenerator().getSignatureName(
                counter.getDigestAlgorithmID(), counter.toASN1Structure().getDigestEncryptionAlgorithm());
        Signature verifier = Signature.getInstance(algorithm, Providers.bouncyCastle());
        verifier.initVerify(authority.getPublicKey());
        try {
            verifier.update(counter.getEncodedSignedAttributes());
        } catch (IOException e) {
            throw new GeneralSecurityException("the countersignature's attributes cannot be encoded", e);
        }
        if (!verifier.verify(counter.getSignature())) {
            throw new GeneralSecurityException("the countersignature does not verify with its certificate");
        }
        Instant time = Time.getInstance(value(signed, CMSAttributes.signingTime)).getDate().toInstant();
        return new Countersignature(authority, time);
    }

    /**
     * Why a countersignature that verified is still no timestamp, or null when it may be one: only a time-stamping
     * certificate other than the signer's can vouch for a time (see
     * {@link TrustValidator#timeStampingProblem}). Such a countersignature is ignored, so the signature counts as not
     * timestamped, as Windows treats it.
     */
    static String notATimestamp(Countersignature countersignature, X509Certificate signer) {
        String problem = TrustValidator.timeStampingProblem(countersignature.authority(), signer);
        return problem == null ? null : "the countersignature by " + countersignature.authority()
                .getSubjectX500Principal().getName() + " is not a timestamp, so the signature counts as not "
                + "timestamped: " + problem;
    }

    private static ASN1Encodable value(AttributeTable attributes, ASN1ObjectIdentifier type)
            throws GeneralSecurityException {
        Attribute attribute = attributes == null ? null : attributes.get(type);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            throw new GeneralSecurityException("the countersignature lacks the " + type + " attribute");
        }
        return attribute.getAttrValues().getObjectAt(0);
    }
}
