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
        List<SignerVerdict> signers) {

    public static final String SIGN = "sign";
    public static final String VERIFY = "verify";

    @JsonCreator
    public ReportEntry {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        chain = chain == null || chain.isEmpty() ? null : List.copyOf(chain);
        signers = signers == null || signers.isEmpty() ? null : List.copyOf(signers);
    }

    /** An entry without the fields this version added ({@code algorithm}, {@code signers}). */
    public ReportEntry(String operation, String path, Long size, String sha256Before, String sha256After,
            String format, String signatureFile, SignerDetails signer, String keySource, String digestAlgorithm,
            String signatureAlgorithm, TimestampDetails timestamp, Long durationMillis, Status status,
            Failure failure, String reason, List<String> warnings, List<CertificateDetails> chain) {
        this(operation, path, size, sha256Before, sha256After, format, signatureFile, signer, keySource,
                digestAlgorithm, signatureAlgorithm, timestamp, durationMillis, status, failure, reason, warnings,
                chain, null, null);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** A failure that happened before a format could be applied. */
    public static ReportEntry failure(String operation, String path, String format, Failure failure, String reason,
            long durationMillis) {
        return new ReportEntry(operation, path, null, null, null, format, null, null, null, null, null, null,
                durationMillis, Status.FAILED, failure, reason, List.of(), null, null, null);
    }
}
