package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict on one signature: valid, or the first failure found with its reason. {@code algorithm} names the
 * signature algorithm for people ({@code RSA-3072 with SHA-256}); {@code signedAt} is the time the signature claims;
 * {@code signers} holds the verdict on each signer when a signature file carries several ({@link SignerOutcomes}).
 */
public record VerificationOutcome(boolean valid, Failure failure, String reason, SignerDetails signer,
        String digestAlgorithm, String signatureAlgorithm, TimestampDetails timestamp, List<String> warnings,
        List<CertificateDetails> chain, String algorithm, Instant signedAt, List<VerificationOutcome> signers) {

    public VerificationOutcome {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        chain = chain == null ? List.of() : List.copyOf(chain);
        signers = signers == null ? List.of() : List.copyOf(signers);
    }

    /** The same verdict, with the signer's chain as the signature carries it. */
    public VerificationOutcome withChain(List<CertificateDetails> signerChain) {
        return new VerificationOutcome(valid, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                warnings, signerChain, algorithm, signedAt, signers);
    }

    /** The same verdict, naming the algorithm for people and the time the signature claims. */
    public VerificationOutcome describedAs(String algorithmName, Instant claimedTime) {
        return new VerificationOutcome(valid, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                warnings, chain, algorithmName, claimedTime, signers);
    }

    /** The same verdict with more warnings. */
    public VerificationOutcome withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new VerificationOutcome(valid, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                all, chain, algorithm, signedAt, signers);
    }

    /** The same verdict, listing every signer's own verdict. */
    public VerificationOutcome withSigners(List<VerificationOutcome> all) {
        return new VerificationOutcome(valid, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                warnings, chain, algorithm, signedAt, all);
    }

    public static VerificationOutcome valid(SignerDetails signer, String digestAlgorithm, String signatureAlgorithm,
            TimestampDetails timestamp, List<String> warnings) {
        return new VerificationOutcome(true, null, null, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                warnings, null, null, null, null);
    }

    public static VerificationOutcome failed(Failure failure, String reason) {
        return new VerificationOutcome(false, failure, reason, null, null, null, null, List.of(), null, null, null,
                null);
    }

    /** The same failure, keeping what was learnt about the signer. */
    public static VerificationOutcome failed(Failure failure, String reason, SignerDetails signer,
            String digestAlgorithm, String signatureAlgorithm, TimestampDetails timestamp) {
        return new VerificationOutcome(false, failure, reason, signer, digestAlgorithm, signatureAlgorithm, timestamp,
                List.of(), null, null, null, null);
    }
}
