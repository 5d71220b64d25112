package io.jenkins.plugins.hsmsigning.credentials;

import static org.junit.Assert.assertEquals;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsParameterDefinition;
import com.cloudbees.plugins.credentials.CredentialsParameterValue;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * A profile's PIN comes from the global credential store only: a credential of the same id in a folder, or a build's
 * credentials parameter of that name, does not change which PIN is sent to the token.
 */
public class ProfileCredentialsTest {

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
    public void aCredentialsParameterNamedLikeThePinDoesNotReplaceIt() throws Exception {
        SoftHsmToken token = TestProfiles.useTestToken();
        StringCredentialsImpl wrong = new StringCredentialsImpl(CredentialsScope.GLOBAL, "wrong-pin", "not the PIN",
                Secret.fromString("000000"));
        SystemCredentialsProvider.getInstance().getCredentials().add(wrong);
        SystemCredentialsProvider.getInstance().save();

        WorkflowJob p = j.createProject(WorkflowJob.class, "parameterised");
        p.addProperty(new ParametersDefinitionProperty(new CredentialsParameterDefinition(TestProfiles.PIN_ID, "",
                "wrong-pin", StringCredentials.class.getName(), false)));
        p.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun run = j.assertBuildStatusSuccess(p.scheduleBuild2(0, new ParametersAction(
                new CredentialsParameterValue(TestProfiles.PIN_ID, "wrong-pin", "", false))));
        j.assertLogContains("dist/app.txt [cms] signed by HSM Signing Test rsa3072", run);
        j.assertLogNotContains("Wrong PIN", run);
        j.assertLogNotContains(TestProfiles.pinText(token), run);
    }

    @Test
    public void aFolderCredentialWithThePinsIdDoesNotReplaceIt() throws Exception {
        SoftHsmToken token = TestProfiles.useTestToken();
        Folder folder = j.jenkins.createProject(Folder.class, "team");
        folderStore(folder).addCredentials(Domain.global(), new StringCredentialsImpl(CredentialsScope.GLOBAL,
                TestProfiles.PIN_ID, "a folder's shadow", Secret.fromString("000000")));
        WorkflowJob inside = folder.createProject(WorkflowJob.class, "inside");
        inside.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun signed = j.buildAndAssertSuccess(inside);
        j.assertLogContains("dist/app.txt [cms] signed by HSM Signing Test rsa3072", signed);
        assertEquals(1, signed.getAction(SignatureReportAction.class).getSigned());
        j.assertLogNotContains(TestProfiles.pinText(token), signed);
    }

    @Test
    public void aPinOnlyAFolderDefinesIsNotUsed() throws Exception {
        SoftHsmToken token = SoftHsmToken.shared();
        HsmSigningConfiguration.get().setProfiles(List.of(TestProfiles.release(token)));
        Folder folder = j.jenkins.createProject(Folder.class, "team");
        folderStore(folder).addCredentials(Domain.global(), TestProfiles.pin(token));
        WorkflowJob inside = folder.createProject(WorkflowJob.class, "inside");
        inside.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, inside);
        j.assertLogContains("The credential 'hsm-pin' (the PIN of signing profile 'release') was not found: it must"
                + " be a Secret text credential in the global credential store", refused);
        j.assertLogNotContains(TestProfiles.pinText(token), refused);
        SignatureReportAction report = refused.getAction(SignatureReportAction.class);
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
