package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import java.util.List;

/** The verdict on one signature: valid, or the first failure found with its reason. */
public record VerificationOutcome(boolean valid, Failure failure, String reason, SignerDetails signer,
        String digestAlgorithm, String signatureAlgorithm, TimestampDetails timestamp, List<String> warnings) {

    public VerificationOutcome {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public static VerificationOutcome valid(SignerDetails signer, String digestAlgorithm, String signatureAlgorithm,
            TimestampDetails timestamp, List<String> warnings) {
        return new VerificationOutcome(true, null, null, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                warnings);
    }

    public static VerificationOutcome failed(Failure failure, String reason) {
        return new VerificationOutcome(false, failure, reason, null, null, null, null, List.of());
    }

    /** The same failure, keeping what was learnt about the signer. */
    public static VerificationOutcome failed(Failure failure, String reason, SignerDetails signer,
            String digestAlgorithm, String signatureAlgorithm, TimestampDetails timestamp) {
        return new VerificationOutcome(false, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                List.of());
    }
}
