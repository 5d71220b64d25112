package io.jenkins.plugins.hsmsigning.signing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeTrue;

import hudson.model.Result;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import io.jenkins.plugins.hsmsigning.model.SignatureRow;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** The report is only an output of the build, and nothing signed is published without its audit record. */
public class ReportAndAuditIntegrityTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void anArchivedSignaturesJsonIsNeverReadBackAsInput() throws Exception {
        TestProfiles.useTestToken();
        WorkflowJob p = j.createProject(WorkflowJob.class, "forger");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/a.txt', text: 'a'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms'], includes: 'dist/a.txt'
                node {
                  writeFile file: 'signatures.json', text: '''{"schemaVersion":1,"entries":[{"operation":"sign",
                    "path":"release/forged.exe","format":"authenticode","status":"SIGNED"}]}'''
                  writeFile file: 'dist/b.txt', text: 'b'
                  archiveArtifacts artifacts: 'signatures.json,dist/b.txt'
                }
                signArtifacts profile: 'release', formats: ['cms'], includes: 'dist/b.txt'
                """, true));
        WorkflowRun run = j.buildAndAssertSuccess(p);

        SignatureReport kept = SignatureReport.read(run.getRootDir().toPath().resolve("hsm-signing/signatures.json"));
        assertEquals(2, kept.entries().size());
        assertFalse(kept.entries().stream().anyMatch(e -> e.path().contains("forged")));
        assertEquals(2, kept.decisions().size());
        try (InputStream in = run.getArtifactManager().root().child("signatures.json").open()) {
            String archived = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat("the archived copy is the build's report again", archived, not(containsString("forged")));
            assertThat(archived, containsString("dist/b.txt"));
        }
        SignatureReportAction action = run.getAction(SignatureReportAction.class);
        assertEquals(2, action.getSigned());
        assertFalse(action.getRows().stream().map(SignatureRow::getPath).anyMatch(path -> path.contains("forged")));
    }

    /**
     * The audit log becomes /dev/full: it opens for appending (the check before the key is opened passes) but every
     * write fails as on a full disk, also for root. The signature is made, then not published.
     */
    @Test
    public void whenTheAuditRecordCannotBeWrittenNothingSignedIsPublished() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue("needs /dev/full (Linux)", Files.exists(full));
        TestProfiles.useTestToken();
        Path audit = AuditTrail.log().file();
        Files.createDirectories(audit.getParent());
        Files.deleteIfExists(audit);
        Files.createSymbolicLink(audit, full);

        WorkflowJob p = j.createProject(WorkflowJob.class, "unaudited");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/app.txt', text: 'hello'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms']
                """, true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("could not be written, so nothing signed was published", run);
        assertFalse("no signature file was archived",
                run.getArtifactManager().root().child("dist/app.txt.p7s").exists());
        SignatureReportAction action = run.getAction(SignatureReportAction.class);
        assertEquals(0, action.getSigned());
        assertEquals(1, action.getFailed());
        SignatureRow row = action.getRows().get(0);
        assertEquals(Failure.NOT_AUDITED.name(), row.getFailure());
        assertThat(row.getReason(), containsString("Signed, but not published"));
        assertEquals(ReportEntry.SIGN, row.getOperation());
    }
}
