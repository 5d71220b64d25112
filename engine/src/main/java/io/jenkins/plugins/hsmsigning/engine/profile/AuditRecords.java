package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
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

    /** Who asked, for which job and build, with which profile. {@code user} is a user id or a cause. */
    public record Context(String job, String build, String user, String profile) {
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
                entry.format(), sha256, fingerprint, entry.status().name(), entry.failed() ? entry.reason() : null);
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
                null, null, DENIED, reason);
    }
}
