package io.jenkins.plugins.hsmsigning.engine.approval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditLog;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.report.ApprovalEntry;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ApprovalAuditTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyEventIsAuditedWithWhoAndWhy() throws Exception {
        ApprovalRequest r = ApprovalRequestTest.request(ApprovalRulesTest.rules(2, false, false), T0);
        List<ApprovalEvent> events = new ArrayList<>(r.history());
        events.addAll(r.approve(new Approver("alice", Set.of(), false), "checked the diff", T0.plusSeconds(60)));
        events.addAll(r.deny(new Approver("bob", Set.of(), false), "not this week", T0.plusSeconds(120)));

        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("audit.jsonl"));
        log.append(ApprovalAudit.records(r, events));
        List<AuditRecord> records = log.read(10, x -> true);
        // Newest first: the denial, the approval, then the request as one line per artifact.
        assertEquals(List.of("APPROVAL_DENIED", "APPROVAL_GIVEN", "APPROVAL_REQUESTED", "APPROVAL_REQUESTED"),
                records.stream().map(AuditRecord::result).toList());
        AuditRecord denial = records.get(0);
        assertEquals("bob", denial.user());
        assertEquals("not this week", denial.reason());
        assertEquals("team/app", denial.job());
        assertEquals("42", denial.build());
        assertEquals("release", denial.profile());
        assertNull(denial.artifact());
        AuditRecord asked = records.get(3);
        assertEquals("carol", asked.user());
        assertEquals("dist/app.exe", asked.artifact());
        assertEquals("aa".repeat(32), asked.sha256());
    }

    @Test
    public void theSignatureReportKeepsTheHistory() throws Exception {
        ApprovalRequest r = ApprovalRequestTest.request(ApprovalRulesTest.rules(1, false, false), T0);
        List<ApprovalEvent> events = new ArrayList<>(r.history());
        events.addAll(r.expireIfDue(r.deadline()));
        SignatureReport report = new SignatureReport(new RunContext("carol", T0, Map.of("job", "team/app")));
        report.addApprovals(ApprovalAudit.reportEntries(r, events));

        SignatureReport back = SignatureReport.parse(report.toJson());
        List<ApprovalEntry> approvals = back.approvals();
        assertEquals(List.of("APPROVAL_REQUESTED", "APPROVAL_TIMED_OUT"),
                approvals.stream().map(ApprovalEntry::event).toList());
        assertEquals(Map.of("dist/app.exe", "aa".repeat(32), "dist/lib.jar", "bb".repeat(32)),
                approvals.get(0).artifacts());
        assertEquals("r-1", approvals.get(1).request());
        assertEquals(Map.of(), approvals.get(1).artifacts());
        assertEquals(0, back.summary().failed());
    }

    @Test
    public void aReportWithoutApprovalsHasNoApprovalsField() {
        SignatureReport report = new SignatureReport(new RunContext("x", T0, Map.of()));
        assertEquals(-1, report.toJson().indexOf("approvals"));
    }
}
