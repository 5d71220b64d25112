package io.jenkins.plugins.hsmsigning.approval;

import static io.jenkins.plugins.hsmsigning.approval.ApprovalFixture.auditResults;
import static io.jenkins.plugins.hsmsigning.approval.ApprovalFixture.post;
import static io.jenkins.plugins.hsmsigning.approval.ApprovalFixture.request;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.tasks.ArtifactArchiver;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalState;
import io.jenkins.plugins.hsmsigning.engine.approval.ArtifactDigests;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import io.jenkins.plugins.hsmsigning.publishers.SignArtifactsRecorder;
import io.jenkins.plugins.hsmsigning.signing.AuditTrail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;

public class ApprovalTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @After
    public void realTime() {
        Approvals.useClock(Clock.systemUTC());
    }

    @Test
    public void theStarterCannotApproveAndAStrangerGets403() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(1);
        WorkflowRun run = ApprovalFixture.startedByCarol(j, ApprovalFixture.pipeline(j, "four-eyes"));

        // What is asked is on the console: profile, artifacts with SHA-256, job, starter, link.
        j.assertLogContains("Signing profile 'release' needs 1 approval before signing these artifacts:", run);
        j.assertLogContains("dist/a.txt  SHA-256 " + sha256("a"), run);
        j.assertLogContains("Job four-eyes #1, started by carol.", run);

        assertEquals(HttpURLConnection.HTTP_FORBIDDEN, post(j, "carol", run, "approve", "mine"));
        assertEquals(HttpURLConnection.HTTP_FORBIDDEN, post(j, "mallory", run, "approve", "why not"));
        assertEquals(HttpURLConnection.HTTP_FORBIDDEN, post(j, "mallory", run, "deny", "spite"));
        assertEquals(HttpURLConnection.HTTP_FORBIDDEN, post(j, "root", run, "approve", "I am admin"));
        assertEquals(HttpURLConnection.HTTP_FORBIDDEN, post(j, null, run, "approve", "anonymous"));
        // A GET changes nothing.
        JenkinsRule.WebClient alice = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        alice.login("alice");
        assertThat(alice.goTo(run.getUrl() + "signing-approval/approve?id=" + request(run).id())
                .getWebResponse().getStatusCode(), greaterThanOrEqualTo(400));
        assertEquals(ApprovalState.PENDING, request(run).state());
        assertTrue(run.isBuilding());

        // The approval page shows the request and, to alice, the form.
        String page = alice.goTo(run.getUrl() + "signing-approval/").getWebResponse().getContentAsString();
        assertThat(page, containsString(sha256("b")));
        assertThat(page, containsString("Approve"));

        assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "alice", run, "approve", "checked"));
        j.assertBuildStatusSuccess(j.waitForCompletion(run));
        j.assertLogContains("Signing request approved by alice (1 of 1): checked", run);
        j.assertLogContains("signed 2", run);
        assertTrue(run.getArtifactManager().root().child("dist/a.txt.p7s").isFile());
    }

    @Test
    public void twoDistinctApproversThenSigningAndEveryStepAudited() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(2);
        WorkflowRun run = ApprovalFixture.startedByCarol(j, ApprovalFixture.pipeline(j, "two"));

        assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "alice", run, "approve", "ok"));
        j.waitForMessage("Signing request approved by alice (1 of 2): ok", run);
        assertEquals(HttpURLConnection.HTTP_CONFLICT, post(j, "alice", run, "approve", "again"));
        assertTrue(run.isBuilding());

        // The pending page and its REST API list the request for approvers only.
        JenkinsRule.WebClient dave = j.createWebClient();
        dave.login("dave");
        assertThat(dave.goTo("hsm-signing-approvals/api/json", "application/json").getWebResponse()
                .getContentAsString(), containsString(request(run).id()));
        JenkinsRule.WebClient mallory = j.createWebClient();
        mallory.login("mallory");
        assertThat(mallory.goTo("hsm-signing-approvals/api/json", "application/json").getWebResponse()
                .getContentAsString(), not(containsString(request(run).id())));
        JenkinsRule.WebClient carol = j.createWebClient();
        carol.login("carol");
        assertThat(carol.goTo("hsm-signing-approvals/api/json", "application/json").getWebResponse()
                .getContentAsString(), not(containsString(request(run).id())));

        assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "dave", run, "approve", null));
        j.assertBuildStatusSuccess(j.waitForCompletion(run));
        assertEquals(List.of("alice", "dave"), request(run).approvers());

        assertEquals(List.of("APPROVAL_REQUESTED", "APPROVAL_REQUESTED", "APPROVAL_GIVEN", "APPROVAL_GIVEN",
                "APPROVED", "SIGNED", "SIGNED"), auditResults());
        AuditRecord approved = AuditTrail.log().read(100, r -> "APPROVED".equals(r.result())).get(0);
        assertEquals("dave", approved.user());
        assertEquals("two", approved.job());
        assertEquals("approved by alice, dave", approved.reason());

        SignatureReport report = archivedReport(run);
        assertEquals(List.of("APPROVAL_REQUESTED", "APPROVAL_GIVEN", "APPROVAL_GIVEN", "APPROVED"),
                report.approvals().stream().map(a -> a.event()).toList());
        assertEquals(sha256("a"), report.approvals().get(0).artifacts().get("dist/a.txt"));
        assertEquals(2, report.summary().signed());
        assertEquals(2, run.getAction(SignatureReportAction.class).getSigned());
    }

    @Test
    public void oneDenialFailsTheBuildNamingWhoAndWhy() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(2);
        WorkflowRun run = ApprovalFixture.startedByCarol(j, ApprovalFixture.pipeline(j, "denied"));
        assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "alice", run, "approve", "ok"));
        assertEquals(HttpURLConnection.HTTP_BAD_REQUEST, post(j, "bob", run, "deny", " "));
        assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "bob", run, "deny", "wrong version"));
        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(run));
        j.assertLogContains("The signing request for profile 'release' was denied by bob: wrong version. Nothing"
                + " was signed.", run);
        assertTrue(run.getArtifactManager().root().child("dist/a.txt").isFile());
        assertFalse(run.getArtifactManager().root().child("dist/a.txt.p7s").isFile());
        assertEquals(List.of("APPROVAL_REQUESTED", "APPROVAL_REQUESTED", "APPROVAL_GIVEN", "APPROVAL_DENIED"),
                auditResults());
        assertEquals("wrong version", AuditTrail.log().read(1, r -> true).get(0).reason());
    }

    @Test
    public void theTimeoutFailsTheBuild() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(1);
        WorkflowRun run = ApprovalFixture.startedByCarol(j, ApprovalFixture.pipeline(j, "late"));
        Approvals.useClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(23)));
        Approvals.expireAllDue();
        assertEquals(ApprovalState.PENDING, request(run).state());

        Approvals.useClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(25)));
        assertEquals(HttpURLConnection.HTTP_CONFLICT, post(j, "alice", run, "approve", "too late"));
        Approvals.expireAllDue();
        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(run));
        j.assertLogContains("timed out: 0 of 1 approvals by", run);
        assertEquals("APPROVAL_TIMED_OUT", auditResults().get(auditResults().size() - 1));
    }

    @Test
    public void abortingTheBuildWithdrawsTheRequest() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(1);
        WorkflowRun run = ApprovalFixture.startedByCarol(j, ApprovalFixture.pipeline(j, "aborted"));
        try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
            run.doStop();
        }
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));
        assertEquals(ApprovalState.WITHDRAWN, request(run).state());
        assertEquals(HttpURLConnection.HTTP_CONFLICT, post(j, "alice", run, "approve", "late"));
        assertEquals("APPROVAL_WITHDRAWN", auditResults().get(auditResults().size() - 1));
        assertFalse(Approvals.pending().containsKey(request(run).id()));
    }

    @Test
    public void anArtifactChangedAfterTheRequestFailsTheBuild() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(1);
        WorkflowRun run = ApprovalFixture.startedByCarol(j, ApprovalFixture.pipeline(j, "swapped"));
        Files.writeString(run.getArtifactsDir().toPath().resolve("dist/a.txt"), "evil", StandardCharsets.UTF_8);
        assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "alice", run, "approve", "looks fine"));
        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(run));
        j.assertLogContains("dist/a.txt changed after approval (approved SHA-256 " + sha256("a") + ", now "
                + sha256("evil") + "); nothing was signed.", run);
        assertFalse(run.getArtifactManager().root().child("dist/b.txt.p7s").isFile());
        assertTrue(auditResults().stream().noneMatch("SIGNED"::equals));
    }

    @Test
    public void aFreestyleBuildWaitsVisiblyThenSigns() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(1);
        FreeStyleProject p = j.createFreeStyleProject("freestyle");
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
                    throws InterruptedException, IOException {
                build.getWorkspace().child("dist/app.txt").write("app", "UTF-8");
                return true;
            }
        });
        p.getPublishersList().add(new ArtifactArchiver("dist/**"));
        SignArtifactsRecorder signer = new SignArtifactsRecorder("release");
        signer.setFormats(List.of("cms"));
        p.getPublishersList().add(signer);

        FreeStyleBuild build = p.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("carol")))
                .waitForStart();
        j.waitForMessage("Waiting for approval until", build);
        ApprovalRequest request = request(build);
        assertEquals("carol", request.subject().startedBy());
        assertEquals(HttpURLConnection.HTTP_FORBIDDEN, post(j, "carol", build, "approve", "mine"));
        assertEquals(HttpURLConnection.HTTP_MOVED_TEMP, post(j, "bob", build, "approve", "ok"));
        j.assertBuildStatusSuccess(j.waitForCompletion(build));
        assertTrue(build.getArtifactManager().root().child("dist/app.txt.p7s").isFile());
    }

    @Test
    public void abortingAFreestyleBuildWithdrawsTheRequest() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(1);
        FreeStyleProject p = j.createFreeStyleProject("freestyle-abort");
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
                    throws InterruptedException, IOException {
                build.getWorkspace().child("dist/app.txt").write("app", "UTF-8");
                return true;
            }
        });
        p.getPublishersList().add(new ArtifactArchiver("dist/**"));
        p.getPublishersList().add(new SignArtifactsRecorder("release"));
        FreeStyleBuild build = p.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("carol")))
                .waitForStart();
        j.waitForMessage("Waiting for approval until", build);
        build.getExecutor().interrupt();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
        assertEquals(ApprovalState.WITHDRAWN, request(build).state());
        j.assertLogContains("Aborted while waiting for approval: the signing request was withdrawn and nothing was"
                + " signed.", build);
        j.assertLogNotContains("InterruptedException", build);
    }

    @Test
    public void aProfileWithoutApprovalSignsAtOnce() throws Exception {
        ApprovalFixture.security(j);
        ApprovalFixture.profile(0);
        WorkflowJob p = ApprovalFixture.pipeline(j, "no-approval");
        WorkflowRun run = j.buildAndAssertSuccess(p);
        j.assertLogNotContains("Waiting for approval", run);
        assertNull(run.getAction(ApprovalAction.class));
    }

    @Test
    public void anApprovalBlockThatCannotBeMetIsRefusedOnSave() throws Exception {
        SigningProfile profile = TestProfiles.release(SoftHsmToken.shared());
        ApprovalSettings approval = new ApprovalSettings(3);
        approval.setApprovers("alice, bob");
        profile.setApproval(approval);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HsmSigningConfiguration.get().setProfiles(List.of(profile)));
        assertThat(refused.getMessage(), containsString("Signing profile 'release': Approvals required is 3, but"
                + " only 2 approvers are listed and no group."));
    }

    private static SignatureReport archivedReport(WorkflowRun run) throws Exception {
        try (InputStream in = run.getArtifactManager().root().child(SignatureReportAction.REPORT_FILE).open()) {
            return SignatureReport.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String sha256(String text) throws Exception {
        return ArtifactDigests.sha256(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
