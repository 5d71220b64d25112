package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import java.util.List;

/**
 * What a format made: for detached formats the signature file's bytes (null for embedded ones), the algorithm,
 * the timestamp if one was obtained, and warnings such as a timestamp that could not be had. Embedded formats that
 * {@link EmbeddedFormat#signsCopyInPlace copy the artifact themselves} also give the SHA-256 (hex) of what they
 * copied, which the report states as the artifact's hash before signing; null otherwise.
 */
public record SignedResult(byte[] signatureFile, SignatureAlgorithm algorithm, TimestampDetails timestamp,
        List<String> warnings, String sourceSha256) {

    public SignedResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public SignedResult(byte[] signatureFile, SignatureAlgorithm algorithm, TimestampDetails timestamp,
            List<String> warnings) {
        this(signatureFile, algorithm, timestamp, warnings, null);
    }
}
