package io.jenkins.plugins.hsmsigning.signing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import hudson.tasks.ArtifactArchiver;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditRecords;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import io.jenkins.plugins.hsmsigning.publishers.SignArtifactsRecorder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jenkins.branch.BranchSource;
import jenkins.scm.api.mixin.ChangeRequestCheckoutStrategy;
import jenkins.scm.impl.mock.MockChangeRequestFlags;
import jenkins.scm.impl.mock.MockRepositoryFlags;
import jenkins.scm.impl.mock.MockSCM;
import jenkins.scm.impl.mock.MockSCMController;
import jenkins.scm.impl.mock.MockSCMDiscoverBranches;
import jenkins.scm.impl.mock.MockSCMDiscoverChangeRequests;
import jenkins.scm.impl.mock.MockSCMSource;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.replay.ReplayAction;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionListener;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.TestExtension;

/**
 * Only the intended builds can use a key: the origin of a build's script is checked with the profile's other rules
 * before any credential or token is touched, and a new profile allows nothing until an admin opens it.
 */
public class TrustedOriginTest {

    private static final String PIPELINE = """
            node {
              writeFile file: 'dist/app.txt', text: 'hello'
              archiveArtifacts artifacts: 'dist/**'
            }
            signArtifacts profile: 'release', formats: ['cms']
            """;

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    /** A new profile that names the job "app", with every other setting at its default. */
    private SigningProfile closedProfileFor(String job) throws Exception {
        SoftHsmToken token = TestProfiles.useTestToken();
        SigningProfile profile = TestProfiles.closed(token);
        profile.setAllowedJobs(job);
        HsmSigningConfiguration.get().setProfiles(List.of(profile));
        return profile;
    }

    private static WorkflowJob scmJob(JenkinsRule j, MockSCMController scm, String name) throws Exception {
        scm.createRepository("repo");
        scm.addFile("repo", "master", "Jenkinsfile", "Jenkinsfile", PIPELINE.getBytes(StandardCharsets.UTF_8));
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsScmFlowDefinition(new MockSCM(scm.getId(), "repo", "master", null), "Jenkinsfile"));
        return job;
    }

    @Test
    public void aNewProfileAllowsNoJobUntilOneIsNamed() throws Exception {
        SoftHsmToken token = TestProfiles.useTestToken();
        HsmSigningConfiguration.get().setProfiles(List.of(TestProfiles.closed(token)));
        try (MockSCMController scm = MockSCMController.create()) {
            WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, scmJob(j, scm, "app"));
            j.assertLogContains("The signing profile 'release' allows no job yet", refused);
            assertNothingSigned(refused);
        }
    }

    @Test
    public void aScriptFromScmSignsAndTheDecisionIsRecorded() throws Exception {
        closedProfileFor("app");
        try (MockSCMController scm = MockSCMController.create()) {
            WorkflowRun signed = j.assertBuildStatusSuccess(scmJob(j, scm, "app").scheduleBuild2(0,
                    new CauseAction(new Cause.UserIdCause("alice"))));
            j.assertLogContains("script-origin=passed (required=true, jobKind=pipeline, scriptFromScm=yes", signed);
            j.assertLogContains("dist/app.txt [cms] signed by", signed);
            AuditRecord record = AuditTrail.log().read(1, r -> true).get(0);
            assertEquals("SIGNED", record.result());
            assertEquals("alice", record.user());
            assertEquals(Cause.UserIdCause.class.getName(), record.causeType());
            assertTrue(record.policy().stream().noneMatch(RuleCheck::failed));
            String kept = new String(java.nio.file.Files.readAllBytes(signed.getRootDir().toPath()
                    .resolve("hsm-signing/signatures.json")), StandardCharsets.UTF_8);
            assertThat(kept, containsString("\"rule\" : \"script-origin\""));
        }
    }

    @Test
    public void anInlineScriptIsRefused() throws Exception {
        closedProfileFor("app");
        WorkflowJob inline = j.createProject(WorkflowJob.class, "app");
        inline.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, inline);
        j.assertLogContains("The signing profile 'release' requires a Pipeline script from SCM, and the script of"
                + " 'app' is written into the job (inline)", refused);
        j.assertLogNotContains("Key: ", refused);
        assertNothingSigned(refused);
        AuditRecord denied = AuditTrail.log().read(1, r -> true).get(0);
        assertEquals(AuditRecords.DENIED, denied.result());
        RuleCheck origin = denied.policy().stream().filter(c -> c.rule().equals("script-origin")).findFirst()
                .orElseThrow();
        assertEquals(RuleCheck.Verdict.FAILED, origin.verdict());
        assertEquals("no", origin.values().get("scriptFromScm"));
    }

    @Test
    public void aReplayedBuildIsRefusedEvenWithTheSameScript() throws Exception {
        SigningProfile profile = closedProfileFor("app");
        try (MockSCMController scm = MockSCMController.create()) {
            WorkflowJob job = scmJob(j, scm, "app");
            WorkflowRun original = j.buildAndAssertSuccess(job);
            ReplayAction replay = original.getAction(ReplayAction.class);
            assertNotNull(replay);
            WorkflowRun replayed = (WorkflowRun) replay.run(PIPELINE.replace("hello", "evil"), Map.of()).get();
            j.assertBuildStatus(Result.FAILURE, replayed);
            j.assertLogContains("does not allow replayed builds, and this build of 'app' runs a script taken from an"
                    + " earlier build", replayed);
            assertNothingSigned(replayed);

            WorkflowRun rebuilt = (WorkflowRun) replay.run(replay.getOriginalScript(), Map.of()).get();
            j.assertBuildStatus(Result.FAILURE, rebuilt);

            profile.setAllowReplay(true);
            HsmSigningConfiguration.get().setProfiles(List.of(profile));
            WorkflowRun allowed = (WorkflowRun) replay.run(PIPELINE, Map.of()).get();
            j.assertBuildStatusSuccess(allowed);
        }
    }

    @Test
    public void aRepositoryThatCannotBeToldIsRefusedByTheRepositoryRule() throws Exception {
        SigningProfile profile = closedProfileFor("app");
        profile.setAllowedRepositories("github.com/acme/*");
        HsmSigningConfiguration.get().setProfiles(List.of(profile));
        try (MockSCMController scm = MockSCMController.create()) {
            WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, scmJob(j, scm, "app"));
            j.assertLogContains("allows only scripts from the repositories 'github.com/acme/*', and the repository"
                    + " the script of 'app' came from is not known", refused);
            assertNothingSigned(refused);
        }
    }

    @Test
    public void aForkChangeRequestIsRefusedWhateverTheBranchPatterns() throws Exception {
        SoftHsmToken token = TestProfiles.useTestToken();
        SigningProfile profile = TestProfiles.closed(token);
        profile.setAnyJob(true);
        profile.setAllowedBranches("master\nchange-request:**");
        HsmSigningConfiguration.get().setProfiles(List.of(profile));
        try (MockSCMController scm = MockSCMController.create()) {
            scm.createRepository("repo", MockRepositoryFlags.FORKABLE);
            scm.addFile("repo", "master", "Jenkinsfile", "Jenkinsfile", PIPELINE.getBytes(StandardCharsets.UTF_8));
            Integer fork = scm.openChangeRequest("repo", "master", MockChangeRequestFlags.FORK);
            Integer sameRepository = scm.openChangeRequest("repo", "master");
            WorkflowMultiBranchProject mp = j.jenkins.createProject(WorkflowMultiBranchProject.class, "app");
            mp.getSourcesList().add(new BranchSource(new MockSCMSource(scm, "repo", new MockSCMDiscoverBranches(),
                    new MockSCMDiscoverChangeRequests(ChangeRequestCheckoutStrategy.HEAD))));
            mp.scheduleBuild2(0).getFuture().get();
            j.waitUntilNoActivity();

            WorkflowJob forkJob = mp.getItem("CR-" + fork);
            assertNotNull(forkJob);
            WorkflowRun refused = j.assertBuildStatus(Result.FAILURE, forkJob.getLastBuild());
            j.assertLogContains("The signing profile 'release' does not allow change requests from forks, and"
                    + " 'app/CR-" + fork + "' builds one.", refused);
            assertNothingSigned(refused);

            WorkflowJob ownJob = mp.getItem("CR-" + sameRepository);
            assertNotNull(ownJob);
            j.assertBuildStatusSuccess(ownJob.getLastBuild());
            j.assertBuildStatusSuccess(mp.getItem("master").getLastBuild());
        }
    }

    @Test
    public void aFreestyleJobSignsOnlyWhenListedByName() throws Exception {
        SigningProfile profile = closedProfileFor("legacy");
        FreeStyleProject legacy = j.createFreeStyleProject("legacy");
        legacy.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(hudson.model.AbstractBuild<?, ?> build, hudson.Launcher launcher,
                    hudson.model.BuildListener listener) throws InterruptedException, java.io.IOException {
                build.getWorkspace().child("dist/app.txt").write("hello", "UTF-8");
                return true;
            }
        });
        legacy.getPublishersList().add(new ArtifactArchiver("dist/**"));
        SignArtifactsRecorder sign = new SignArtifactsRecorder("release");
        sign.setFormats(List.of("cms"));
        legacy.getPublishersList().add(sign);
        FreeStyleBuild refused = j.buildAndAssertStatus(Result.FAILURE, legacy);
        j.assertLogContains("'legacy' is a job configured in the web UI", refused);

        profile.setFreestyleJobs("legacy");
        HsmSigningConfiguration.get().setProfiles(List.of(profile));
        j.assertLogContains("dist/app.txt [cms] signed by", j.buildAndAssertSuccess(legacy));
    }

    @Test
    public void blankFormatsAreAnErrorNotAuto() throws Exception {
        SoftHsmToken token = TestProfiles.useTestToken();
        SigningProfile profile = TestProfiles.release(token);
        profile.setFormats(List.of("cms"));
        profile.setLockFormats(true);
        HsmSigningConfiguration.get().setProfiles(List.of(profile));
        WorkflowJob p = j.createProject(WorkflowJob.class, "blank");
        p.setDefinition(new CpsFlowDefinition(PIPELINE.replace("['cms']", "['']"), true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("A blank entry in formats: name each format", refused);
        assertNothingSigned(refused);

        p.setDefinition(new CpsFlowDefinition(PIPELINE.replace("['cms']", "['auto']"), true));
        WorkflowRun auto = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("does not allow builds to choose formats", auto);
        assertNothingSigned(auto);
    }

    @Test
    public void aTimeStampUrlNeitherTheProfilesNorAllowedIsRefusedBeforeAnyRequest() throws Exception {
        TestProfiles.useTestToken();
        WorkflowJob p = j.createProject(WorkflowJob.class, "probe");
        p.setDefinition(new CpsFlowDefinition(PIPELINE.replace("formats: ['cms']",
                "formats: ['cms'], tsaUrls: 'http://127.0.0.1:22/'"), true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("The time-stamp authority 'http://127.0.0.1:22/' is neither one of the signing profile"
                + " 'release' nor on a host of the administrator's TSA allow-list", refused);
        assertNothingSigned(refused);
    }

    /**
     * A job configurer swaps the definition to an inline script just as a build of an SCM job starts, and back once
     * the build has read it: the build ran the inline script, so it must not sign as if it came from SCM.
     */
    @Test
    public void aDefinitionSwappedWhileTheBuildStartsIsRefused() throws Exception {
        closedProfileFor("app");
        try (MockSCMController scm = MockSCMController.create()) {
            WorkflowJob job = scmJob(j, scm, "app");
            SwapDefinition.swap = new CpsFlowDefinition("echo 'inline ran'\n" + PIPELINE, true);
            WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, job);
            j.assertLogContains("inline ran", refused);
            j.assertLogContains("The signing profile 'release' requires a Pipeline script from SCM", refused);
            assertNothingSigned(refused);
            assertThat(job.getDefinition().getClass().getName(), containsString("CpsScmFlowDefinition"));
        }
    }

    /** Swaps the job's definition as a build starts, and restores a copy of the original once it was read. */
    @TestExtension("aDefinitionSwappedWhileTheBuildStartsIsRefused")
    public static final class SwapDefinition extends RunListener<WorkflowRun> {

        static FlowDefinition swap;
        static FlowDefinition original;

        @Override
        public void onStarted(WorkflowRun run, TaskListener listener) {
            original = run.getParent().getDefinition();
            run.getParent().setDefinition(swap);
        }

        /** Puts an equal copy of the original back: same class, same SCM, another object. */
        @TestExtension("aDefinitionSwappedWhileTheBuildStartsIsRefused")
        public static final class Restore extends FlowExecutionListener {
            @Override
            public void onCreated(FlowExecution execution) {
                try {
                    if (execution.getOwner().getExecutable() instanceof WorkflowRun run && original != null) {
                        CpsScmFlowDefinition scm = (CpsScmFlowDefinition) original;
                        run.getParent().setDefinition(new CpsScmFlowDefinition(scm.getScm(), scm.getScriptPath()));
                    }
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static void assertNothingSigned(hudson.model.Run<?, ?> run) throws Exception {
        assertNull("a refused build records no signature", run.getAction(SignatureReportAction.class));
        assertTrue(run.getArtifactManager().root().child("dist/app.txt").isFile());
        assertFalse(run.getArtifactManager().root().child("dist/app.txt.p7s").exists());
    }
}
