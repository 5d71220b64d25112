package io.jenkins.plugins.hsmsigning.signing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import hudson.model.Result;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditRecords;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.branch.BranchSource;
import jenkins.scm.impl.mock.MockSCMController;
import jenkins.scm.impl.mock.MockSCMDiscoverBranches;
import jenkins.scm.impl.mock.MockSCMDiscoverTags;
import jenkins.scm.impl.mock.MockSCMSource;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** A profile's usage policy: checked before the token is touched; a refused build fails, signs nothing, is audited. */
public class ProfilePolicyTest {

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

    @Test
    public void aJobOutsideTheAllowedFolderIsRefused() throws Exception {
        TestProfiles.useTestKey();
        SigningProfile profile = TestProfiles.release();
        profile.setAnyJob(false);
        profile.setAllowedJobs("team/**");
        HsmSigningConfiguration.get().setProfiles(List.of(profile));

        Folder team = j.jenkins.createProject(Folder.class, "team");
        WorkflowJob inside = team.createProject(WorkflowJob.class, "app");
        inside.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        j.assertLogContains("dist/app.txt [cms] signed by " + TestProfiles.SIGNER, j.buildAndAssertSuccess(inside));

        WorkflowJob outside = j.createProject(WorkflowJob.class, "outside");
        outside.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, outside);
        j.assertLogContains("The job 'outside' may not use the signing profile 'release': it allows only jobs"
                + " matching 'team/**'. Nothing was signed.", refused);
        j.assertLogNotContains("Key: ", refused);
        assertNothingSigned(refused);

        AuditRecord denied = AuditTrail.log().read(1, r -> true).get(0);
        assertEquals(AuditRecords.DENIED, denied.result());
        assertEquals("outside", denied.job());
        assertEquals("release", denied.profile());
        assertNull(denied.artifact());
    }

    @Test
    public void lockedFormatsCannotBeChangedByAStep() throws Exception {
        TestProfiles.useTestKey();
        SigningProfile profile = TestProfiles.release();
        profile.setFormats(List.of("cms"));
        profile.setLockFormats(true);
        HsmSigningConfiguration.get().setProfiles(List.of(profile));

        WorkflowJob p = j.createProject(WorkflowJob.class, "locked");
        p.setDefinition(new CpsFlowDefinition(PIPELINE.replace("['cms']", "['pgp']"), true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("does not allow builds to choose formats", refused);
        assertNothingSigned(refused);

        // Asking for the profile's own formats is no change.
        p.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        j.buildAndAssertSuccess(p);
    }

    @Test
    public void onlyTheAllowedBranchesAndTagsOfAMultibranchProjectSign() throws Exception {
        TestProfiles.useTestKey();
        SigningProfile profile = TestProfiles.release();
        profile.setAllowedBranches("master\ntag:v*");
        HsmSigningConfiguration.get().setProfiles(List.of(profile));

        try (MockSCMController scm = MockSCMController.create()) {
            scm.createRepository("repo");
            scm.addFile("repo", "master", "Jenkinsfile", "Jenkinsfile", PIPELINE.getBytes(StandardCharsets.UTF_8));
            scm.createBranch("repo", "feature");
            scm.addFile("repo", "feature", "Jenkinsfile", "Jenkinsfile", PIPELINE.getBytes(StandardCharsets.UTF_8));
            scm.createTag("repo", "master", "v1.0");

            WorkflowMultiBranchProject mp = j.jenkins.createProject(WorkflowMultiBranchProject.class, "app");
            mp.getSourcesList().add(new BranchSource(new MockSCMSource(scm, "repo", new MockSCMDiscoverBranches(),
                    new MockSCMDiscoverTags())));
            mp.scheduleBuild2(0).getFuture().get();
            j.waitUntilNoActivity();

            WorkflowJob master = mp.getItem("master");
            WorkflowJob feature = mp.getItem("feature");
            WorkflowJob tag = mp.getItem("v1.0");
            assertNotNull(master);
            assertNotNull(feature);
            assertNotNull(tag);

            WorkflowRun signed = j.assertBuildStatusSuccess(master.getLastBuild());
            j.assertLogContains("Signing profile 'release' allows app/master (branch 'master').", signed);
            j.assertLogContains("dist/app.txt [cms] signed by", signed);

            WorkflowRun refused = j.assertBuildStatus(Result.FAILURE, feature.getLastBuild());
            j.assertLogContains("The branch 'feature' of 'app/feature' may not use the signing profile 'release':"
                    + " it allows only 'master', 'tag:v*' (a pattern matches branches unless it starts with tag: or"
                    + " change-request:). Nothing was signed.", refused);
            assertNothingSigned(refused);

            // Tags are not built by branch indexing unless a build strategy says so; build it by hand.
            WorkflowRun tagged = j.buildAndAssertSuccess(tag);
            j.assertLogContains("(tag 'v1.0')", tagged);
        }
    }

    private static void assertNothingSigned(WorkflowRun run) throws Exception {
        assertNull("a refused build records no signature", run.getAction(SignatureReportAction.class));
        assertTrue(run.getArtifactManager().root().child("dist/app.txt").isFile());
        assertFalse(run.getArtifactManager().root().child("dist/app.txt.p7s").exists());
    }
}
