package io.jenkins.plugins.hsmsigning.engine.report;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Where entries were checked, against what, and the policy decisions travel through the report's JSON. */
public class ReportProvenanceTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void checkedOnTrustAndDecisionsRoundTrip() throws Exception {
        SignatureReport report = new SignatureReport(new RunContext("alice", Instant.parse("2026-12-01T00:00:00Z"),
                Map.of("job", "app")));
        report.add(ReportEntry.failure(ReportEntry.VERIFY, "dist/a.exe", "authenticode", Failure.NO_SIGNATURE,
                "no signature", 1).checkedAt("agent:linux-1", List.of("profile:release", "step:pgpKeys")));
        RuleCheck job = RuleCheck.of("job", Map.of("job", "app", "anyJob", "false"), "The job 'app' may not...");
        report.addDecision(new PolicyDecision("release", false, job.reason(), List.of(job)));

        String json = report.toJson();
        assertThat(json, containsString("\"checkedOn\" : \"agent:linux-1\""));
        assertThat(json, containsString("\"verdict\" : \"FAILED\""));
        SignatureReport back = SignatureReport.parse(json);
        ReportEntry entry = back.entries().get(0);
        assertEquals("agent:linux-1", entry.checkedOn());
        assertEquals(List.of("profile:release", "step:pgpKeys"), entry.trust());
        assertEquals(report.decisions(), back.decisions());
    }

    @Test
    public void aReportLargerThanItsBoundIsNotRead() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("signatures.json");
        new SignatureReport(RunContext.now("alice", Map.of())).write(file);
        assertEquals(0, SignatureReport.read(file, Files.size(file)).entries().size());
        IOException e = assertThrows(IOException.class, () -> SignatureReport.read(file, 10));
        assertThat(e.getMessage(), containsString("more than the 10 a report may have"));
    }
}
