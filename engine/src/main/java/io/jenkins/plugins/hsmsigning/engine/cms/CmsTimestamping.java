package io.jenkins.plugins.hsmsigning.engine.cms;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampOutcome;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;

/**
 * Adds RFC 3161 timestamps to detached CMS signatures made earlier without one, as {@code signtool timestamp} does for
 * Authenticode: each signer that lacks a signatureTimeStampToken gets one over its signature value. A signature is
 * stamped only after it was checked against its artifact, so that no timestamp ever vouches for a broken signature;
 * whether its signer is trusted is left to verification.
 */
public final class CmsTimestamping {

    private final Timestamper timestamper;

    /** What was done to one signature file: its new DER, or null when every signer already had a timestamp. */
    public record Stamped(byte[] signature, TimestampDetails timestamp) {

        public boolean changed() {
            return signature != null;
        }
    }

    public CmsTimestamping(Timestamper timestamper) {
        this.timestamper = timestamper;
    }

    /**
     * Timestamps the signers of {@code signatureFile} (DER or PEM) over {@code artifact} that have none; fails when
     * the signature does not match the artifact or no authority answered.
     */
    public Stamped addTimestamps(byte[] signatureFile, String signatureName, Path artifact, String artifactName)
            throws SigningException {
        byte[] der = CmsPem.der(signatureFile, signatureName);
        requireIntact(signatureFile, signatureName, artifact, artifactName);
        CMSSignedData signed = CmsVerification.parse(der, signatureName);
        List<SignerInformation> signers = new ArrayList<>();
        TimestampDetails added = null;
        for (SignerInformation signer : signed.getSignerInfos()) {
            AttributeTable unsigned = signer.getUnsignedAttributes();
            if (unsigned != null && unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken) != null) {
                signers.add(signer);
                continue;
            }
            DigestAlgorithm digest = DigestAlgorithm.fromOid(signer.getDigestAlgorithmID().getAlgorithm());
            if (digest == null) {
                throw new SigningException(Kind.INPUT, "The signature " + signatureName
                        + " uses a digest algorithm this tool does not accept, so it is not timestamped.");
            }
            TimestampOutcome outcome = timestamper.timestamp(signer.getSignature(), digest);
            if (!outcome.obtained()) {
                throw new SigningException(Kind.TIMESTAMP, "No time-stamp authority answered for " + signatureName
                        + " (" + String.join("; ", outcome.failures()) + "); it was left unchanged.");
            }
            signers.add(SignerInformation.replaceUnsignedAttributes(signer, withToken(unsigned, outcome)));
            added = new TimestampDetails(outcome.authority(), outcome.time());
        }
        if (added == null) {
            return new Stamped(null, null);
        }
        try {
            CMSSignedData stamped = CMSSignedData.replaceSigners(signed, new SignerInformationStore(signers));
            return new Stamped(stamped.getEncoded(ASN1Encoding.DER), added);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The timestamped signature " + signatureName
                    + " could not be encoded: " + Reasons.detail(e) + ".", e);
        }
    }

    private static AttributeTable withToken(AttributeTable unsigned, TimestampOutcome outcome) {
        DERSet value = new DERSet(outcome.token().toCMSSignedData().toASN1Structure());
        return unsigned == null
                ? new AttributeTable(new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken, value))
                : unsigned.add(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken, value);
    }

    private static void requireIntact(byte[] signatureFile, String signatureName, Path artifact, String artifactName)
            throws SigningException {
        CmsFormat format = new CmsFormat();
        ContentHashes content;
        try {
            content = ContentHashes.of(artifact, format.digestsFor(signatureFile, signatureName));
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The artifact " + artifactName + " of " + signatureName
                    + " cannot be read: " + Reasons.detail(e) + ".", e);
        }
        VerificationOutcome outcome = format.verify(signatureFile, signatureName, content,
                VerificationOptions.inspection());
        if (!outcome.valid()) {
            throw new SigningException(Kind.VERIFICATION, "The signature " + signatureName + " does not match "
                    + artifactName + " (" + outcome.reason() + "), so no timestamp was added.");
        }
    }
}
