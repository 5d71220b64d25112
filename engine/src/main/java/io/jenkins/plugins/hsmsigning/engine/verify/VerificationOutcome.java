package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import java.util.List;

/** The verdict on one signature: valid, or the first failure found with its reason. */
public record VerificationOutcome(boolean valid, Failure failure, String reason, SignerDetails signer,
        String digestAlgorithm, String signatureAlgorithm, TimestampDetails timestamp, List<String> warnings,
        List<CertificateDetails> chain) {

    public VerificationOutcome {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    /** The same verdict, with the signer's chain as the signature carries it. */
    public VerificationOutcome withChain(List<CertificateDetails> signerChain) {
        return new VerificationOutcome(valid, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                warnings, signerChain);
    }

    public static VerificationOutcome valid(SignerDetails signer, String digestAlgorithm, String signatureAlgorithm,
            TimestampDetails timestamp, List<String> warnings) {
        return new VerificationOutcome(true, null, null, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                warnings, null);
    }

    public static VerificationOutcome failed(Failure failure, String reason) {
        return new VerificationOutcome(false, failure, reason, null, null, null, null, List.of(), null);
    }

    /** The same failure, keeping what was learnt about the signer. */
    public static VerificationOutcome failed(Failure failure, String reason, SignerDetails signer,
            String digestAlgorithm, String signatureAlgorithm, TimestampDetails timestamp) {
        return new VerificationOutcome(false, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                List.of(), null);
    }
}
