package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditLog;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AuditRecordsTest {

    private static final AuditRecords.Context CONTEXT = new AuditRecords.Context("team/app", "42", "alice", "release");
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aSignedEntryBecomesOneRecord() {
        AuditRecord embedded = AuditRecords.of(ReportEntries.embedded("dist/app.exe"), CONTEXT, NOW);
        assertEquals(new AuditRecord(NOW, "team/app", "42", "alice", "release", "dist/app.exe", "authenticode",
                "bb".repeat(32), "AB".repeat(32), "SIGNED", null), embedded);

        AuditRecord detached = AuditRecords.of(ReportEntries.detached("dist/a.txt", "pgp", ".asc"), CONTEXT, NOW);
        assertEquals("cc".repeat(32), detached.sha256());
        assertEquals("pgp", detached.format());
    }

    @Test
    public void aFailureKeepsItsReasonAndWhatIsKnown() {
        AuditRecord failed = AuditRecords.of(ReportEntries.failed(ReportEntry.SIGN, "dist/b.txt",
                "Wrong PIN for token t; not retried."), CONTEXT, NOW);
        assertEquals("FAILED", failed.result());
        assertEquals("Wrong PIN for token t; not retried.", failed.reason());
        assertNull(failed.sha256());
        assertNull(failed.signerFingerprint());
    }

    @Test
    public void onlySigningIsAudited() {
        List<AuditRecord> records = AuditRecords.forSigning(List.of(ReportEntries.embedded("a.exe"),
                ReportEntries.verified("b"), ReportEntries.detached("c", "cms", ".p7s")), CONTEXT,
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(List.of("a.exe", "c"), records.stream().map(AuditRecord::artifact).toList());
        records.forEach(r -> assertEquals(NOW, r.time()));
    }

    @Test
    public void aDeniedRequestIsOneRecordWithoutArtifact() {
        AuditRecord denied = AuditRecords.denied(CONTEXT, "The job 'team/app' may not use the signing profile"
                + " 'release'.", NOW);
        assertEquals(AuditRecords.DENIED, denied.result());
        assertNull(denied.artifact());
        assertEquals("release", denied.profile());
    }

    @Test
    public void oneLinePerRecordAndNothingButTheRecord() throws Exception {
        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("hsm-signing/audit.jsonl"));
        log.append(AuditRecords.forSigning(List.of(ReportEntries.embedded("a.exe"),
                ReportEntries.detached("b.txt", "cms", ".p7s")), CONTEXT, Clock.fixed(NOW, ZoneOffset.UTC)));
        List<String> lines = Files.readAllLines(log.file(), StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        assertThat(lines.get(0), containsString("\"artifact\":\"a.exe\""));
        assertThat(lines.get(0), containsString("\"user\":\"alice\""));
        // the key source description (token, alias) and anything else of the entry stay out of the audit line
        assertThat(lines.get(0), not(containsString("PKCS#11")));
        assertEquals(List.of("b.txt", "a.exe"), log.read(10, r -> true).stream().map(AuditRecord::artifact).toList());
    }


    @Test
    public void recordsCarryCauseTypeCommitAndThePolicyChecksNotFreeText() throws Exception {
        RuleCheck job = RuleCheck.of("job", java.util.Map.of("job", "team/app"), null);
        AuditRecords.Context context = new AuditRecords.Context("team/app", "42", null, "release",
                "hudson.model.Cause$RemoteCause", "0123abcd", null).withPolicy(List.of(job));
        AuditRecord denied = AuditRecords.denied(context, "no", NOW);
        assertNull("no user started the build", denied.user());
        assertEquals("hudson.model.Cause$RemoteCause", denied.causeType());
        assertEquals("0123abcd", denied.commit());
        assertEquals(List.of(job), denied.policy());

        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("audit.jsonl"));
        log.append(List.of(denied, AuditRecords.of(ReportEntries.embedded("a.exe"), context, NOW)));
        List<AuditRecord> read = log.read(10, r -> true);
        assertEquals(denied, read.get(1));
        assertEquals(List.of(job), read.get(0).policy());
    }

    @Test
    public void signaturesWithoutAnAuditRecordAreNotPublished() {
        List<ReportEntry> entries = AuditRecords.unaudited(List.of(ReportEntries.embedded("a.exe"),
                ReportEntries.failed(ReportEntry.SIGN, "b.txt", "Wrong PIN")), "/var/jenkins/hsm-signing/audit.jsonl");
        assertEquals(Failure.NOT_AUDITED, entries.get(0).failure());
        assertEquals(Status.FAILED, entries.get(0).status());
        assertThat(entries.get(0).reason(), containsString("Signed, but not published"));
        assertEquals("Wrong PIN", entries.get(1).reason());
        assertEquals("nothing to archive", java.util.Map.of(), SigningSummary.changedFiles(entries));
    }
}
