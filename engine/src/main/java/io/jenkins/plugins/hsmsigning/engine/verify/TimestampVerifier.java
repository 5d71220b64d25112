package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChecks;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Checks an RFC 3161 token: it covers the given data, its signature verifies, and its signer is a time-stamping
 * certificate trusted at the time it states.
 */
public final class TimestampVerifier {

    private final TrustValidator trust;

    public TimestampVerifier(TrustValidator trust) {
        this.trust = trust;
    }

    /** Null when the token is good, otherwise why not. */
    public VerificationOutcome check(TimeStampToken token, byte[] timestampedData) {
        var info = token.getTimeStampInfo();
        DigestAlgorithm digest = DigestAlgorithm.fromOid(info.getMessageImprintAlgOID());
        if (digest == null) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, "the timestamp uses an unsupported digest "
                    + info.getMessageImprintAlgOID());
        }
        if (!MessageDigest.isEqual(info.getMessageImprintDigest(), digest.newDigest().digest(timestampedData))) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID,
                    "the timestamp was made for other data than this signature");
        }
        X509Certificate tsa;
        try {
            tsa = Timestamper.signerCertificate(token);
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa));
        } catch (Exception e) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, "the timestamp's signature does not verify ("
                    + Reasons.detail(e) + ")");
        }
        Instant time = info.getGenTime().toInstant();
        VerificationOutcome untrusted = trust.check(tsa, CarriedCertificates.of(token.getCertificates()), time, CertificateChecks.TIME_STAMPING, true);
        if (untrusted != null) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, "the time-stamp authority is not trusted: "
                    + untrusted.reason());
        }
        return null;
    }
}
