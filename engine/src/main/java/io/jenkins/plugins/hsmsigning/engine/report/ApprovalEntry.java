package io.jenkins.plugins.hsmsigning.engine.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One event of an approval request in the signature report: which request, for which profile, what happened
 * ({@code APPROVAL_REQUESTED}, {@code APPROVAL_GIVEN}, {@code APPROVED}, {@code APPROVAL_DENIED},
 * {@code APPROVAL_TIMED_OUT}, {@code APPROVAL_WITHDRAWN}), when, by whom and why. The request's event lists the
 * artifacts asked for, path to SHA-256.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApprovalEntry(String request, String profile, String event, Instant time, String user,
        String comment, Map<String, String> artifacts) {

    public ApprovalEntry {
        artifacts = artifacts == null ? Map.of() : new TreeMap<>(artifacts);
    }
}
