package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalEvent;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail's view of a signing run: one {@link AuditRecord} per signing operation (one artifact, one format),
 * made from the report entry it produced, and one for a request a profile's policy refused. Verifications are not
 * audited: they use no key.
 */
public final class AuditRecords {

    /** The {@code result} of a request the profile's usage policy refused before the key was touched. */
    public static final String DENIED = "DENIED";

    /** Every result a record may have: the report statuses, a refused request, and the approval events. */
    public static List<String> results() {
        List<String> results = new ArrayList<>();
        for (Status s : Status.values()) {
            results.add(s.name());
        }
        results.add(DENIED);
        for (ApprovalEvent.Type t : ApprovalEvent.Type.values()) {
            results.add(t.auditResult());
        }
        return results;
    }

    /**
     * Who asked, for which job and build, with which profile. {@code user} is the id of the user who started the
     * build (null when none did), {@code causeType} the class of its first cause, {@code commit} the revision its
     * script came from, {@code policy} the rules checked.
     */
    public record Context(String job, String build, String user, String profile, String causeType, String commit,
            List<RuleCheck> policy) {

        public Context {
            policy = policy == null ? List.of() : List.copyOf(policy);
        }

        public Context(String job, String build, String user, String profile) {
            this(job, build, user, profile, null, null, null);
        }

        /** This context with the rules a policy check recorded. */
        public Context withPolicy(List<RuleCheck> checks) {
            return new Context(job, build, user, profile, causeType, commit, checks);
        }
    }

    private AuditRecords() {
    }

    /**
     * The record of one signing operation. Its {@code sha256} is the artifact's as published: after signing for
     * embedded formats (the file users download), the same before and after for detached ones; for a failure, the
     * one known, if any.
     */
    public static AuditRecord of(ReportEntry entry, Context context, Instant time) {
        String sha256 = entry.sha256After() != null ? entry.sha256After() : entry.sha256Before();
        String fingerprint = entry.signer() == null ? null : entry.signer().sha256Fingerprint();
        return new AuditRecord(time, context.job(), context.build(), context.user(), context.profile(), entry.path(),
                entry.format(), sha256, fingerprint, entry.status().name(), entry.failed() ? entry.reason() : null,
                context.causeType(), context.commit(), context.policy());
    }

    /** The records of the signing entries among {@code entries}, all at the clock's current time. */
    public static List<AuditRecord> forSigning(List<ReportEntry> entries, Context context, Clock clock) {
        Instant now = clock.instant();
        List<AuditRecord> records = new ArrayList<>();
        for (ReportEntry e : entries) {
            if (ReportEntry.SIGN.equals(e.operation())) {
                records.add(of(e, context, now));
            }
        }
        return records;
    }

    /** The record of a request refused by the profile's usage policy: no artifact was touched. */
    public static AuditRecord denied(Context context, String reason, Instant time) {
        return new AuditRecord(time, context.job(), context.build(), context.user(), context.profile(), null, null,
                null, null, DENIED, reason, context.causeType(), context.commit(), context.policy());
    }

    /**
     * The entries of a signing run whose audit records could not all be written: every signed entry becomes a
     * {@link Failure#NOT_AUDITED} failure, because a signature that no audit record accounts for must not be
     * published.
     */
    public static List<ReportEntry> unaudited(List<ReportEntry> entries, String auditLog) {
        List<ReportEntry> result = new ArrayList<>();
        for (ReportEntry e : entries) {
            result.add(e.failed() ? e : e.failedWith(Failure.NOT_AUDITED, "Signed, but not published: the audit log "
                    + auditLog + " could not be written, and no signature is published without its audit record."));
        }
        return result;
    }
}
