package io.jenkins.plugins.hsmsigning.engine.approval;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.report.ApprovalEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How approval events are recorded: audit lines (the request as one line per artifact with its SHA-256, then one
 * line per approval, denial, timeout or withdrawal, with the person and the comment) and signature report entries.
 */
public final class ApprovalAudit {

    private ApprovalAudit() {
    }

    public static List<AuditRecord> records(ApprovalRequest request, List<ApprovalEvent> events) {
        ApprovalSubject s = request.subject();
        List<AuditRecord> records = new ArrayList<>();
        for (ApprovalEvent e : events) {
            String result = e.type().auditResult();
            if (e.type() == ApprovalEvent.Type.REQUESTED) {
                for (ArtifactDigest a : request.artifacts()) {
                    records.add(new AuditRecord(e.time(), s.job(), s.build(), e.user(), s.profile(), a.path(), null,
                            a.sha256(), null, result, e.comment()));
                }
            } else {
                records.add(new AuditRecord(e.time(), s.job(), s.build(), e.user(), s.profile(), null, null, null,
                        null, result, e.comment()));
            }
        }
        return records;
    }

    public static List<ApprovalEntry> reportEntries(ApprovalRequest request, List<ApprovalEvent> events) {
        List<ApprovalEntry> entries = new ArrayList<>();
        for (ApprovalEvent e : events) {
            Map<String, String> artifacts = new LinkedHashMap<>();
            if (e.type() == ApprovalEvent.Type.REQUESTED) {
                request.artifacts().forEach(a -> artifacts.put(a.path(), a.sha256()));
            }
            entries.add(new ApprovalEntry(request.id(), request.subject().profile(), e.type().auditResult(),
                    e.time(), e.user(), e.comment(), artifacts));
        }
        return entries;
    }
}
