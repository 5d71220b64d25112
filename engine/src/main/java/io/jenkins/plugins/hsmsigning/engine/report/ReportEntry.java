package io.jenkins.plugins.hsmsigning.engine.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One artifact, one format, one operation. {@code path} is the artifact's path as the user knows it (relative to
 * the build's artifacts or the working directory); {@code signatureFile} likewise, for detached formats.
 * {@code chain} is the signer's certificate and its issuers as far as known (absent for OpenPGP and failures).
 * {@code signers} lists every signature the entry's signature carries, each with its own verdict; the single-signer
 * fields ({@code signer}, {@code digestAlgorithm}, ...) describe the signature that decided the entry's status.
 * {@code algorithm} is {@code signatureAlgorithm} named for people ({@code RSA-3072 with SHA-256}).
 * {@code checkedOn} says where a verification ran ({@value #CONTROLLER}, or {@code agent:} and the agent's name, whose
 * verdict is only as trustworthy as the agent) and {@code trust} what it was checked against (such as
 * {@code profile:release} or {@code step:trustAnchors}); both are absent where not recorded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportEntry(
        String operation,
        String path,
        Long size,
        String sha256Before,
        String sha256After,
        String format,
        String signatureFile,
        SignerDetails signer,
        String keySource,
        String digestAlgorithm,
        String signatureAlgorithm,
        TimestampDetails timestamp,
        Long durationMillis,
        Status status,
        Failure failure,
        String reason,
        List<String> warnings,
        List<CertificateDetails> chain,
        String algorithm,
        List<SignerVerdict> signers,
        String checkedOn,
        List<String> trust) {

    public static final String SIGN = "sign";
    public static final String VERIFY = "verify";
    /** {@code checkedOn} of work done by the controller itself. */
    public static final String CONTROLLER = "controller";
    /** Prefix of {@code checkedOn} for work an agent did and reported. */
    public static final String AGENT_PREFIX = "agent:";

    @JsonCreator
    public ReportEntry {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        chain = chain == null || chain.isEmpty() ? null : List.copyOf(chain);
        signers = signers == null || signers.isEmpty() ? null : List.copyOf(signers);
        trust = trust == null || trust.isEmpty() ? null : List.copyOf(trust);
    }

    /** An entry that does not say where it was checked nor against what. */
    public ReportEntry(String operation, String path, Long size, String sha256Before, String sha256After,
            String format, String signatureFile, SignerDetails signer, String keySource, String digestAlgorithm,
            String signatureAlgorithm, TimestampDetails timestamp, Long durationMillis, Status status,
            Failure failure, String reason, List<String> warnings, List<CertificateDetails> chain, String algorithm,
            List<SignerVerdict> signers) {
        this(operation, path, size, sha256Before, sha256After, format, signatureFile, signer, keySource,
                digestAlgorithm, signatureAlgorithm, timestamp, durationMillis, status, failure, reason, warnings,
                chain, algorithm, signers, null, null);
    }

    /** An entry without the fields later versions added (algorithm, signers, where and against what checked). */
    public ReportEntry(String operation, String path, Long size, String sha256Before, String sha256After,
            String format, String signatureFile, SignerDetails signer, String keySource, String digestAlgorithm,
            String signatureAlgorithm, TimestampDetails timestamp, Long durationMillis, Status status,
            Failure failure, String reason, List<String> warnings, List<CertificateDetails> chain) {
        this(operation, path, size, sha256Before, sha256After, format, signatureFile, signer, keySource,
                digestAlgorithm, signatureAlgorithm, timestamp, durationMillis, status, failure, reason, warnings,
                chain, null, null);
    }

    /** This entry as checked on {@code checkedOn} against {@code trust}, whatever it claimed before. */
    public ReportEntry checkedAt(String where, List<String> against) {
        return new ReportEntry(operation, path, size, sha256Before, sha256After, format, signatureFile, signer,
                keySource, digestAlgorithm, signatureAlgorithm, timestamp, durationMillis, status, failure, reason,
                warnings, chain, algorithm, signers, where, against);
    }

    /** This entry turned into a failure (what was done is kept; the outcome is not). */
    public ReportEntry failedWith(Failure newFailure, String newReason) {
        return new ReportEntry(operation, path, size, sha256Before, sha256After, format, signatureFile, signer,
                keySource, digestAlgorithm, signatureAlgorithm, timestamp, durationMillis, Status.FAILED, newFailure,
                newReason, warnings, chain, algorithm, signers, checkedOn, trust);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** A failure that happened before a format could be applied. */
    public static ReportEntry failure(String operation, String path, String format, Failure failure, String reason,
            long durationMillis) {
        return new ReportEntry(operation, path, null, null, null, format, null, null, null, null, null, null,
                durationMillis, Status.FAILED, failure, reason, List.of(), null, null, null, null, null);
    }
}
