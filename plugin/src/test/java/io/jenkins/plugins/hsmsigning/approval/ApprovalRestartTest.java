package io.jenkins.plugins.hsmsigning.approval;

import static io.jenkins.plugins.hsmsigning.approval.ApprovalFixture.post;
import static io.jenkins.plugins.hsmsigning.approval.ApprovalFixture.request;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalState;
import java.net.HttpURLConnection;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsSessionRule;

/** A pending request survives a controller restart: the Pipeline resumes waiting, and approval then signs. */
public class ApprovalRestartTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Test
    public void aPendingRequestSurvivesARestart() throws Throwable {
        String[] id = new String[1];
        sessions.then(j -> {
            ApprovalFixture.security(j);
            ApprovalFixture.profile(2);
            WorkflowRun run = ApprovalFixture.startedByCarol(j, ApprovalFixture.pipeline(j, "restarted"));
            assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "alice", run, "approve", "before restart"));
            j.waitForMessage("Signing request approved by alice (1 of 2)", run);
            id[0] = request(run).id();
        });
        sessions.then(j -> {
            ApprovalFixture.security(j);
            WorkflowJob p = j.jenkins.getItemByFullName("restarted", WorkflowJob.class);
            WorkflowRun run = p.getBuildByNumber(1);
            j.waitForMessage("Still waiting for approval of the signing request after the controller restarted.",
                    run);
            assertTrue(run.isBuilding());
            assertEquals(id[0], request(run).id());
            assertEquals(ApprovalState.PENDING, request(run).state());
            assertEquals(List.of("alice"), request(run).approvers());
            assertTrue(Approvals.pending().containsKey(id[0]));
            // alice's approval from before the restart still counts once.
            assertEquals(HttpURLConnection.HTTP_CONFLICT, post(j, "alice", run, "approve", "again"));
            assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "bob", run, "approve", "after restart"));
            j.assertBuildStatusSuccess(j.waitForCompletion(run));
            assertTrue(run.getArtifactManager().root().child("dist/a.txt.p7s").isFile());
        });
    }
}
