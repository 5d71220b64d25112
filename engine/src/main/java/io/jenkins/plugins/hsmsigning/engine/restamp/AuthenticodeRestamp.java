package io.jenkins.plugins.hsmsigning.engine.restamp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeFormat;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeKind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampOutcome;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jsign.DigestAlgorithm;
import net.jsign.Signable;
import net.jsign.asn1.authenticode.AuthenticodeObjectIdentifiers;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

/**
 * Authenticode signatures of every kind jsign handles (PE, MSI, CAB, CAT, scripts, APPX/MSIX, NuGet), stamped as
 * {@code jsign timestamp} does: the copy's signatures, nested ones included, are read through jsign, each one without
 * a timestamp gets an RFC 3161 token (in Microsoft's attribute, or the standard one for NuGet's plain CMS), and jsign
 * writes them back into the copy.
 */
final class AuthenticodeRestamp implements Restamping.EmbeddedRestamp {

    @Override
    public TimestampDetails stamp(Path source, Path target, String artifactName, Timestamper timestamper)
            throws SigningException {
        try {
            AuthenticodeKind kind = AuthenticodeKind.detect(source, artifactName);
            Restamping.copyInto(source, target);
            try (Signable signable = kind.open(target.toFile())) {
                return stampAll(signable, artifactName, timestamper);
            }
        } catch (IOException | CMSException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "The timestamps could not be added to " + artifactName + ": "
                    + Reasons.detail(e) + "; it was left unchanged.", e);
        }
    }

    private static TimestampDetails stampAll(Signable signable, String artifactName, Timestamper timestamper)
            throws SigningException, IOException, CMSException {
        TimestampDetails added = null;
        List<CMSSignedData> signatures = new ArrayList<>();
        for (CMSSignedData signature : signable.getSignatures()) {
            SignerInformation signer = signature.getSignerInfos().iterator().next();
            if (SignerStamps.timestamped(signer)) {
                signatures.add(signature);
                continue;
            }
            SignerStamps.requireUnexpired(signature, signer, artifactName);
            TokenAttribute token = new TokenAttribute(SignerStamps.obtain(timestamper, signer, artifactName),
                    AuthenticodeObjectIdentifiers.isAuthenticode(signature.getSignedContentTypeOID()));
            signatures.add(token.addTo(signature));
            added = token.details();
        }
        if (added != null) {
            signable.setSignatures(signatures);
            signable.save();
        }
        return added;
    }

    @Override
    public AuthenticodeFormat format() {
        return new AuthenticodeFormat();
    }

    /**
     * Puts one token into a signature through jsign's own attribute handling ({@code modifySignedData}), which keeps
     * the signer's other unsigned attributes (nested signatures among them).
     */
    private static final class TokenAttribute extends net.jsign.timestamp.Timestamper {

        private final TimestampOutcome outcome;
        private final boolean authenticode;

        TokenAttribute(TimestampOutcome outcome, boolean authenticode) {
            this.outcome = outcome;
            this.authenticode = authenticode;
        }

        CMSSignedData addTo(CMSSignedData signature) throws IOException, CMSException {
            return modifySignedData(signature, getCounterSignature(outcome.token().toCMSSignedData()), null);
        }

        TimestampDetails details() {
            return new TimestampDetails(outcome.authority(), outcome.time());
        }

        @Override
        protected Attribute getCounterSignature(CMSSignedData token) {
            return new Attribute(authenticode ? AuthenticodeObjectIdentifiers.SPC_RFC3161_OBJID
                    : PKCSObjectIdentifiers.id_aa_signatureTimeStampToken, new DERSet(token.toASN1Structure()));
        }

        /** Never asked: the token was obtained from the engine's authorities before. */
        @Override
        protected CMSSignedData timestamp(DigestAlgorithm algo, byte[] encryptedDigest) {
            throw new UnsupportedOperationException("tokens come from the engine's time-stamp client");
        }
    }
}
