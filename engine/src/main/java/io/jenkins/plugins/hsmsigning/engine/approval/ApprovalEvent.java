package io.jenkins.plugins.hsmsigning.engine.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One step in a request's history: what happened, when, by whom (a user id; null for the timeout) and the comment
 * or reason given. The history is what the audit log and the signature report record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalEvent(Type type, Instant time, String user, String comment) {

    public enum Type {
        /** A build asked for approval. */
        REQUESTED("APPROVAL_REQUESTED"),
        /** One approver agreed. */
        APPROVAL("APPROVAL_GIVEN"),
        /** The last approval needed came: the request is approved. */
        APPROVED("APPROVED"),
        DENIED("APPROVAL_DENIED"),
        TIMED_OUT("APPROVAL_TIMED_OUT"),
        WITHDRAWN("APPROVAL_WITHDRAWN");

        private final String auditResult;

        Type(String auditResult) {
            this.auditResult = auditResult;
        }

        /** The {@code result} of the event's audit record. */
        public String auditResult() {
            return auditResult;
        }
    }
}
