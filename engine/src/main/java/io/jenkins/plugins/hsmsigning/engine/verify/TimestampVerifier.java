package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Checks an RFC 3161 token: it covers the given data, its signature verifies, and its signer is a time-stamping
 * certificate other than the signer's, trusted at the time it states (see
 * {@link TrustValidator#checkTimestampAuthority}).
 */
public final class TimestampVerifier {

    private final TrustValidator trust;

    public TimestampVerifier(TrustValidator trust) {
        this.trust = trust;
    }

    /**
     * Null when the token is good, otherwise why not.
     *
     * @param signer the certificate of the signature the token stamps, which must not have made the token
     */
    public VerificationOutcome check(TimeStampToken token, byte[] timestampedData, X509Certificate signer) {
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
            tsa = authorityCertificate(token);
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa));
        } catch (Exception e) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, "the timestamp's signature does not verify ("
                    + Reasons.detail(e) + ")");
        }
        Instant time = info.getGenTime().toInstant();
        VerificationOutcome untrusted = trust.checkTimestampAuthority(tsa, signer,
                CarriedCertificates.of(token.getCertificates()), time);
        if (untrusted == null) {
            return null;
        }
        boolean revocation = untrusted.failure() == Failure.CERTIFICATE_REVOKED
                || untrusted.failure() == Failure.REVOCATION_UNKNOWN;
        return VerificationOutcome.failed(revocation ? untrusted.failure() : Failure.TIMESTAMP_INVALID,
                "the time-stamp authority is not trusted: " + untrusted.reason());
    }

    /** From the token, or else from the certificates given to help build paths (a token need not carry it). */
    private X509Certificate authorityCertificate(TimeStampToken token) throws TSPException {
        try {
            return Timestamper.signerCertificate(token);
        } catch (TSPException e) {
            for (X509Certificate given : trust.givenCertificates()) {
                try {
                    if (token.getSID().match(new JcaX509CertificateHolder(given))) {
                        return given;
                    }
                } catch (CertificateEncodingException unreadable) {
                    // cannot be the authority's
                }
            }
            throw e;
        }
    }
}
