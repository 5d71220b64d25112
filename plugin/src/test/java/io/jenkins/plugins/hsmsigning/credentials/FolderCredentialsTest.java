package io.jenkins.plugins.hsmsigning.credentials;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Result;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * A credential defined in a folder serves the jobs in that folder and no other. The key's Certificate credential is
 * looked up the way a token's PIN is (RunCredentials), so the software key tests both without needing SoftHSM2.
 */
public class FolderCredentialsTest {

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
    public void folderCredentialIsUsableInsideAndRefusedOutside() throws Exception {
        HsmSigningConfiguration.get().setProfiles(List.of(TestProfiles.release()));
        Folder folder = j.jenkins.createProject(Folder.class, "team");
        folderStore(folder).addCredentials(Domain.global(), TestProfiles.keystore(CredentialsScope.GLOBAL));

        WorkflowJob inside = folder.createProject(WorkflowJob.class, "inside");
        inside.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun signed = j.buildAndAssertSuccess(inside);
        j.assertLogContains("dist/app.txt [cms] signed by " + TestProfiles.SIGNER, signed);
        assertEquals(1, signed.getAction(SignatureReportAction.class).getSigned());

        WorkflowJob outside = j.createProject(WorkflowJob.class, "outside");
        outside.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, outside);
        j.assertLogContains("The credential 'release-keystore' (the key of signing profile 'release') was not found"
                + " or is not allowed for outside", refused);
        j.assertLogNotContains(TestProfiles.key().secret(), refused);
        SignatureReportAction report = refused.getAction(SignatureReportAction.class);
        assertNotNull("the refusal is recorded on the build", report);
        assertEquals(0, report.getSigned());
        assertEquals(1, report.getFailed());
    }

    private static CredentialsStore folderStore(Folder folder) {
        for (CredentialsStore store : CredentialsProvider.lookupStores(folder)) {
            if (store.getProvider() instanceof FolderCredentialsProvider && store.getContext() == folder) {
                return store;
            }
        }
        throw new AssertionError("no credentials store in folder " + folder.getFullName());
    }
}
