package io.jenkins.plugins.hsmsigning.engine.restamp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.cms.CmsFormat;
import io.jenkins.plugins.hsmsigning.engine.cms.CmsPem;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * Detached CMS signatures ({@code FILE.p7s}, DER or PEM): checked against their file, each signer without a timestamp
 * gets one, the result is checked again and written in the encoding the file had.
 */
final class DetachedCmsRestamp {

    private final Timestamper timestamper;

    DetachedCmsRestamp(Timestamper timestamper) {
        this.timestamper = timestamper;
    }

    Restamping.Restamped restamp(Path signature, String signatureName, Path artifact, String artifactName)
            throws SigningException {
        byte[] original = read(signature, signatureName);
        requireIntact(original, signatureName, artifact, artifactName, false);
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(CmsPem.der(original, signatureName));
        } catch (CMSException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "The signature " + signatureName + " is not a CMS signature: "
                    + Reasons.detail(e) + ".", e);
        }
        SignerStamps.Stamped stamped = SignerStamps.addMissing(signed, timestamper, signatureName);
        if (stamped.signed() == null) {
            return Restamping.Restamped.unchanged(signatureName);
        }
        byte[] result;
        try {
            result = CmsPem.encodedAs(original, stamped.signed().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The timestamped signature " + signatureName
                    + " could not be encoded: " + Reasons.detail(e) + ".", e);
        }
        requireIntact(result, signatureName, artifact, artifactName, true);
        try {
            AtomicFiles.write(signature, result);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The timestamped signature could not be written to "
                    + signatureName + ": " + Reasons.detail(e) + ".", e);
        }
        return Restamping.Restamped.stamped(signatureName, stamped.added());
    }

    private static byte[] read(Path file, String name) throws SigningException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The signature " + name + " cannot be read: "
                    + Reasons.detail(e) + ".", e);
        }
    }

    /** Checks the signature against its file; {@code stamped}: and that every signer now has a valid timestamp. */
    private static void requireIntact(byte[] signatureFile, String signatureName, Path artifact, String artifactName,
            boolean stamped) throws SigningException {
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
        if (stamped) {
            Restamping.requireStamped(List.of(outcome), signatureName);
        } else {
            Restamping.requireIntact(outcome, "The signature " + signatureName, artifactName);
        }
    }
}
