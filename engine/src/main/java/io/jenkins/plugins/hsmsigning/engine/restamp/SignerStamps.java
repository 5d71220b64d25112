package io.jenkins.plugins.hsmsigning.engine.restamp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampOutcome;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import net.jsign.asn1.authenticode.AuthenticodeObjectIdentifiers;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.util.Selector;

/**
 * The rules every re-stamped signature follows, whatever holds it: a signer that carries any timestamp (RFC 3161, in
 * the standard or Microsoft's attribute, or a legacy countersignature) is left alone; one whose certificate has
 * expired is refused, since a timestamp made now cannot show the signature was made while the certificate was valid;
 * every other signer gets an RFC 3161 token over its signature value, hashed with the signer's own digest.
 */
final class SignerStamps {

    private static final List<ASN1ObjectIdentifier> TIMESTAMP_ATTRIBUTES = List.of(
            PKCSObjectIdentifiers.id_aa_signatureTimeStampToken, AuthenticodeObjectIdentifiers.SPC_RFC3161_OBJID,
            PKCSObjectIdentifiers.pkcs_9_at_counterSignature);

    /** A SignerInfo set with tokens added: {@code signed} is null when every signer already had a timestamp. */
    record Stamped(CMSSignedData signed, TimestampDetails added) {
    }

    private SignerStamps() {
    }

    static boolean timestamped(SignerInformation signer) {
        AttributeTable unsigned = signer.getUnsignedAttributes();
        return unsigned != null && TIMESTAMP_ATTRIBUTES.stream().anyMatch(oid -> unsigned.get(oid) != null);
    }

    /** Adds a token in the standard attribute to every signer of {@code signed} without a timestamp. */
    static Stamped addMissing(CMSSignedData signed, Timestamper timestamper, String signatureName)
            throws SigningException {
        List<SignerInformation> signers = new ArrayList<>();
        TimestampDetails added = null;
        for (SignerInformation signer : signed.getSignerInfos()) {
            if (timestamped(signer)) {
                signers.add(signer);
                continue;
            }
            requireUnexpired(signed, signer, signatureName);
            TimestampOutcome outcome = obtain(timestamper, signer, signatureName);
            DERSet token = new DERSet(outcome.token().toCMSSignedData().toASN1Structure());
            AttributeTable unsigned = signer.getUnsignedAttributes();
            AttributeTable stamped = unsigned == null
                    ? new AttributeTable(new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken, token))
                    : unsigned.add(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken, token);
            signers.add(SignerInformation.replaceUnsignedAttributes(signer, stamped));
            added = new TimestampDetails(outcome.authority(), outcome.time());
        }
        return added == null ? new Stamped(null, null)
                : new Stamped(CMSSignedData.replaceSigners(signed, new SignerInformationStore(signers)), added);
    }

    /** A token over {@code signer}'s signature value; fails, naming the signature, when no authority answered. */
    static TimestampOutcome obtain(Timestamper timestamper, SignerInformation signer, String signatureName)
            throws SigningException {
        DigestAlgorithm digest = DigestAlgorithm.fromOid(signer.getDigestAlgorithmID().getAlgorithm());
        if (digest == null) {
            throw new SigningException(Kind.INPUT, "The signature of " + signatureName
                    + " uses a digest algorithm this tool does not accept, so it is not timestamped.");
        }
        TimestampOutcome outcome = timestamper.timestamp(signer.getSignature(), digest);
        if (!outcome.obtained()) {
            throw new SigningException(Kind.TIMESTAMP, "No time-stamp authority answered for " + signatureName
                    + " (" + String.join("; ", outcome.failures()) + "); it was left unchanged.");
        }
        return outcome;
    }

    /** Refuses a signer whose certificate (as the signature carries it) has expired. */
    static void requireUnexpired(CMSSignedData signed, SignerInformation signer, String signatureName)
            throws SigningException {
        @SuppressWarnings("unchecked")
        Selector<X509CertificateHolder> sid = signer.getSID();
        for (X509CertificateHolder certificate : signed.getCertificates().getMatches(sid)) {
            if (certificate.getNotAfter().before(new Date())) {
                throw new SigningException(Kind.INPUT, "The signer certificate of " + signatureName + " ("
                        + certificate.getSubject() + ") expired on " + certificate.getNotAfter().toInstant()
                        + "; a timestamp made now cannot show that it was signed while the certificate was valid, "
                        + "so it was left unchanged: sign it again with --tsa.");
            }
        }
    }
}
