package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampOutcome;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.CarriedCertificates;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import net.jsign.DigestAlgorithm;
import net.jsign.asn1.authenticode.AuthenticodeObjectIdentifiers;
import net.jsign.timestamp.TimestampingException;
import net.jsign.timestamp.TimestampingMode;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

/**
 * Puts the engine's time-stamp authorities, failover and required/optional policy into jsign, so that jsign never
 * falls back to its default public authorities and timestamps behave as for CMS. RFC 3161 tokens come from the
 * engine's client; legacy Authenticode countersignatures from jsign's, one authority and attempt at a time, each
 * checked before it is accepted. One instance serves one signature.
 */
final class JsignTimestamper extends net.jsign.timestamp.Timestamper {

    private final Timestamper engine;
    private final boolean legacy;
    private final String artifactName;
    private final List<String> failures = new ArrayList<>();
    private boolean standardAttribute;
    private TimestampDetails obtained;

    JsignTimestamper(Timestamper engine, boolean legacy, String artifactName) {
        this.engine = engine;
        this.legacy = legacy;
        this.artifactName = artifactName;
    }

    /** The timestamp added, or null. */
    TimestampDetails obtained() {
        return obtained;
    }

    /** Why no timestamp was added, when none was. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * Adds a timestamp to {@code sigData}'s signer, or returns it unchanged when no authority answered and none is
     * required. Throws a {@link TimestampingException} caused by a {@link SigningException} when one is required.
     * Legacy timestamps exist for Authenticode content only; NuGet's CMS gets an RFC 3161 one regardless.
     */
    @Override
    public CMSSignedData timestamp(DigestAlgorithm algo, CMSSignedData sigData) throws IOException, CMSException {
        boolean authenticode = AuthenticodeObjectIdentifiers.isAuthenticode(sigData.getSignedContentTypeOID());
        if (legacy && authenticode) {
            return legacyTimestamp(algo, sigData);
        }
        standardAttribute = !authenticode;
        CMSSignedData token = timestamp(algo, signer(sigData).getSignature());
        return token == null ? sigData : modifySignedData(sigData, getCounterSignature(token), null);
    }

    /** An RFC 3161 token over the signature value from the engine's client, or null. */
    @Override
    protected CMSSignedData timestamp(DigestAlgorithm algo, byte[] encryptedDigest) {
        TimestampOutcome outcome;
        try {
            outcome = engine.timestampAsRequired(encryptedDigest, AuthenticodeFormat.engineDigest(algo), artifactName);
        } catch (SigningException e) {
            throw new TimestampingException(e.getMessage(), e);
        }
        failures.addAll(outcome.failures());
        if (!outcome.obtained()) {
            return null;
        }
        obtained = new TimestampDetails(outcome.authority(), outcome.time());
        return outcome.token().toCMSSignedData();
    }

    /** Authenticode content carries RFC 3161 tokens in Microsoft's attribute; other content (NuGet) in RFC 3161's. */
    @Override
    protected Attribute getCounterSignature(CMSSignedData token) {
        return new Attribute(standardAttribute ? PKCSObjectIdentifiers.id_aa_signatureTimeStampToken
                : AuthenticodeObjectIdentifiers.SPC_RFC3161_OBJID, new DERSet(token.toASN1Structure()));
    }

    private CMSSignedData legacyTimestamp(DigestAlgorithm algo, CMSSignedData sigData) throws CMSException {
        TimestampSettings settings = engine.settings();
        for (URI url : settings.urls()) {
            for (int attempt = 1; attempt <= settings.attemptsPerUrl(); attempt++) {
                if (attempt > 1) {
                    pause(settings);
                }
                net.jsign.timestamp.Timestamper authority = net.jsign.timestamp.Timestamper
                        .create(TimestampingMode.AUTHENTICODE);
                authority.setURLs(url.toString());
                authority.setRetries(1);
                try {
                    CMSSignedData stamped = authority.timestamp(algo, sigData);
                    SignerInformation signer = signer(stamped);
                    LegacyTimestamp.Countersignature countersignature = LegacyTimestamp.check(signer,
                            signer.getCounterSignatures().iterator().next(), CarriedCertificates.of(
                                    stamped.getCertificates()));
                    obtained = new TimestampDetails(url.toString(), countersignature.time());
                    return stamped;
                } catch (IOException | CMSException | GeneralSecurityException | RuntimeException e) {
                    failures.add(url + ": " + reason(e));
                }
            }
        }
        if (settings.required()) {
            throw new TimestampingException("no legacy timestamp", new SigningException(SigningException.Kind.TIMESTAMP,
                    "No time-stamp authority answered for " + artifactName
                            + " and the profile requires a timestamp (" + String.join("; ", failures) + ")."));
        }
        return sigData;
    }

    private static SignerInformation signer(CMSSignedData sigData) {
        return sigData.getSignerInfos().getSigners().iterator().next();
    }

    private static String reason(Exception e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : e.getMessage();
        return message != null ? message : e.getClass().getSimpleName();
    }

    private static void pause(TimestampSettings settings) {
        try {
            Thread.sleep(settings.retryWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
