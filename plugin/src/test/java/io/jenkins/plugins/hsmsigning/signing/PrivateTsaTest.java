package io.jenkins.plugins.hsmsigning.signing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackRelay;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.publishers.SignArtifactsRecorder;
import io.jenkins.plugins.hsmsigning.steps.SignArtifactsStep;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * A private time-stamp authority over HTTPS, reached with the profile's {@code tsaTruststore} (the counterpart of
 * {@code hsmsign --tsa-truststore}); and the form checks of that field and of the program URL.
 */
public class PrivateTsaTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private LoopbackTsa tsa;
    private LoopbackRelay https;

    @After
    public void stop() {
        if (https != null) {
            https.close();
        }
        if (tsa != null) {
            tsa.close();
        }
    }

    @Test
    public void aPrivateAuthorityOverHttpsIsReachedOnlyWithTheProfilesTsaTruststore() throws Exception {
        tsa = LoopbackTsa.start();
        https = LoopbackRelay.httpsTo(tsa.url());
        TestProfiles.useTestKey();
        SigningProfile profile = HsmSigningConfiguration.get().getProfile(TestProfiles.PROFILE);
        profile.setTsaUrls(https.httpsUrl());
        profile.setTimestampRequired(true);
        WorkflowJob p = j.createProject(WorkflowJob.class, "private-tsa");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/app.txt', text: 'hello'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms']
                """, true));

        WorkflowRun untrusted = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("TLS", untrusted);
        assertEquals(0, https.relayedCount());

        profile.setTsaTruststore(TestPki.toPem(TestPki.shared().caCertificate()));
        WorkflowRun trusted = j.buildAndAssertSuccess(p);

        j.assertLogContains("dist/app.txt [cms] signed by " + TestProfiles.SIGNER, trusted);
        assertEquals(1, https.relayedCount());
    }

    @Test
    public void formChecksNeedTheirPermissionAndSayWhatIsWrong() throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("developer")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        FreeStyleProject job = j.createFreeStyleProject("job");
        SigningProfile.DescriptorImpl profiles = j.jenkins.getDescriptorByType(SigningProfile.DescriptorImpl.class);
        SignArtifactsStep.DescriptorImpl step = j.jenkins.getDescriptorByType(SignArtifactsStep.DescriptorImpl.class);
        SignArtifactsRecorder.DescriptorImpl recorder =
                j.jenkins.getDescriptorByType(SignArtifactsRecorder.DescriptorImpl.class);
        String pem = TestPki.toPem(TestPki.shared().caCertificate());

        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            assertEquals(FormValidation.Kind.OK, profiles.doCheckTsaTruststore(pem).kind);
            FormValidation broken = profiles.doCheckTsaTruststore("-----BEGIN CERTIFICATE-----\nAAAA\n"
                    + "-----END CERTIFICATE-----");
            assertEquals(FormValidation.Kind.ERROR, broken.kind);
            assertThat(broken.getMessage(), containsString("time-stamp authority TLS trust store"));
        }
        try (ACLContext ignored = ACL.as2(User.getById("developer", true).impersonate2())) {
            assertEquals(FormValidation.Kind.OK, profiles.doCheckTsaTruststore("not a certificate").kind);
            assertEquals(FormValidation.Kind.OK, step.doCheckProgramUrl(job, "https://acme.example/app").kind);
            FormValidation ftp = step.doCheckProgramUrl(job, "ftp://acme.example/app");
            assertEquals(FormValidation.Kind.ERROR, ftp.kind);
            assertThat(ftp.getMessage(), containsString("Program URL"));
            assertEquals(FormValidation.Kind.ERROR, recorder.doCheckProgramUrl(job, "javascript:alert(1)").kind);
        }
        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertEquals(FormValidation.Kind.OK, step.doCheckProgramUrl(job, "ftp://acme.example/app").kind);
            assertEquals(FormValidation.Kind.OK, recorder.doCheckProgramUrl(job, "ftp://acme.example/app").kind);
        }
    }
}
