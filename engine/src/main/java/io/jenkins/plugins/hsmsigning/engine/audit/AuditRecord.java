package io.jenkins.plugins.hsmsigning.engine.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One use of a signing key: when, by which job and build, for whom, with which profile, on which artifact (and its
 * SHA-256), by which certificate, and the result. Never a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecord(Instant time, String job, String build, String user, String profile, String artifact,
        String format, String sha256, String signerFingerprint, String result, String reason) {
}
