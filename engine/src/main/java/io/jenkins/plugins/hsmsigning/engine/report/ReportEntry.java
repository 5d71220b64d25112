package io.jenkins.plugins.hsmsigning.engine.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One artifact, one format, one operation. {@code path} is the artifact's path as the user knows it (relative to
 * the build's artifacts or the working directory); {@code signatureFile} likewise, for detached formats.
 * {@code chain} is the signer's certificate and its issuers as far as known (absent for OpenPGP and failures).
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
        List<CertificateDetails> chain) {

    public static final String SIGN = "sign";
    public static final String VERIFY = "verify";

    public ReportEntry {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        chain = chain == null || chain.isEmpty() ? null : List.copyOf(chain);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** A failure that happened before a format could be applied. */
    public static ReportEntry failure(String operation, String path, String format, Failure failure, String reason,
            long durationMillis) {
        return new ReportEntry(operation, path, null, null, null, format, null, null, null, null, null, null,
                durationMillis, Status.FAILED, failure, reason, List.of(), null);
    }
}
