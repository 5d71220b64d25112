package io.jenkins.plugins.hsmsigning.engine.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import java.time.Instant;
import java.util.List;

/**
 * One use of a signing key (or one refused request): when, by which job and build, for which user, started by what,
 * with which profile, on which artifact (and its SHA-256), by which certificate, from which commit, the result, and
 * the policy rules checked. Never a secret, and never free text a remote trigger chose: {@code user} is a user id,
 * {@code causeType} the class of the build's first cause.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuditRecord(Instant time, String job, String build, String user, String profile, String artifact,
        String format, String sha256, String signerFingerprint, String result, String reason, String causeType,
        String commit, List<RuleCheck> policy) {

    public AuditRecord {
        policy = policy == null ? List.of() : List.copyOf(policy);
    }

    /** A record without cause type, commit or policy checks (as records were before they had them). */
    public AuditRecord(Instant time, String job, String build, String user, String profile, String artifact,
            String format, String sha256, String signerFingerprint, String result, String reason) {
        this(time, job, build, user, profile, artifact, format, sha256, signerFingerprint, result, reason, null, null,
                null);
    }
}
