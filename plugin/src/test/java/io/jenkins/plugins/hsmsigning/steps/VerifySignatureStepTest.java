package io.jenkins.plugins.hsmsigning.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import io.jenkins.plugins.hsmsigning.model.SignatureRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class VerifySignatureStepTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void verifiesArchivedArtifactsAndATamperedOneFailsTheBuild() throws Exception {
        TestProfiles.TestKey key = TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "verify-archive");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/a.txt', text: 'hello'
                  writeFile file: 'dist/b.txt', text: 'world'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms', 'pgp']
                def ok = verifySignature profile: 'release', includes: 'dist/**'
                echo "first: ${ok.verified} verified of ${ok.artifacts} artifacts, ${ok.failed} failed"
                node {
                  writeFile file: 'dist/a.txt', text: 'tampered'
                  archiveArtifacts artifacts: 'dist/a.txt'
                }
                def lenient = verifySignature profile: 'release', includes: 'dist/**', failOnError: false
                echo "lenient: ${lenient.verified} verified, ${lenient.failed} failed"
                verifySignature profile: 'release', includes: 'dist/**'
                echo 'not reached'
                """, true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("first: 4 verified of 2 artifacts, 0 failed", run);
        j.assertLogContains("dist/a.txt [cms] verified, signed by " + TestProfiles.SIGNER, run);
        j.assertLogContains("dist/b.txt [pgp] verified, signed by", run);
        j.assertLogContains("lenient: 2 verified, 2 failed", run);
        j.assertLogContains("dist/a.txt [cms] FAILED: dist/a.txt: the content does not match", run);
        j.assertLogContains("the artifact was changed after it was signed", run);
        j.assertLogContains("2 of 4 verifications failed", run);
        j.assertLogNotContains("not reached", run);
        j.assertLogNotContains(key.secret(), run);

        // The verifications are in the build's one signature report, after the signatures.
        SignatureReportAction report = run.getAction(SignatureReportAction.class);
        assertEquals(4, report.getSigned());
        assertEquals(4 + 2 + 2, report.getVerified());
        assertEquals(2 + 2, report.getFailed());
        SignatureRow last = report.getRows().get(report.getRows().size() - 1);
        assertEquals("verify", last.getOperation());
        assertEquals("checked by the controller itself", "controller", last.getCheckedOn());
        assertEquals(List.of("profile:release"), last.getTrust());
        assertNull("signing rows say nothing about verification", report.getRows().get(0).getCheckedOn());
        assertEquals(1, run.getActions(SignatureReportAction.class).size());
    }

    @Test
    public void verifiesWorkspaceFilesOnTheAgent() throws Exception {
        TestProfiles.useTestKey();
        DumbSlave agent = j.createOnlineSlave(Label.get("remote"));
        WorkflowJob p = j.createProject(WorkflowJob.class, "verify-workspace");
        p.setDefinition(new CpsFlowDefinition("""
                node('remote') {
                  writeFile file: 'dist/a.txt', text: 'hello'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms', 'pgp']
                node('remote') {
                  unarchive mapping: ['dist/**': 'signed']
                  def good = verifySignature profile: 'release', source: 'workspace', includes: 'signed/**'
                  echo "workspace: ${good.verified} verified, ${good.failed} failed, ${good.results[0].path}"
                  writeFile file: 'signed/dist/a.txt', text: 'tampered'
                  verifySignature profile: 'release', source: 'workspace', includes: 'signed/**'
                }
                """, true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("on the agent (agent:" + agent.getNodeName() + ")", run);
        j.assertLogContains("workspace: 2 verified, 0 failed, signed/dist/a.txt", run);
        j.assertLogContains("signed/dist/a.txt [cms] FAILED", run);
        j.assertLogContains("signed/dist/a.txt [pgp] FAILED", run);
        j.assertLogContains("2 of 2 verifications failed", run);
        SignatureReportAction report = run.getAction(SignatureReportAction.class);
        assertEquals(2, report.getSigned());
        assertEquals(2, report.getVerified());
        assertEquals(2, report.getFailed());
        // What an agent answered is labelled as the agent's, on the page, in the REST API and in the JSON report.
        for (SignatureRow row : report.getRows()) {
            if (row.getOperation().equals("verify")) {
                assertEquals("agent:" + agent.getNodeName(), row.getCheckedOn());
                assertEquals(List.of("profile:release"), row.getTrust());
            }
        }
        JenkinsRule.WebClient wc = j.createWebClient();
        assertThat(wc.goTo(run.getUrl() + "signatures/").getWebResponse().getContentAsString(),
                containsString("agent:" + agent.getNodeName()));
        assertThat(wc.goTo(run.getUrl() + "signatures/api/json?depth=1", "application/json").getWebResponse()
                .getContentAsString(), containsString("\"checkedOn\":\"agent:" + agent.getNodeName() + "\""));
        String kept = Files.readString(run.getRootDir().toPath().resolve("hsm-signing/signatures.json"),
                StandardCharsets.UTF_8);
        assertThat(kept, containsString("\"checkedOn\" : \"agent:" + agent.getNodeName() + "\""));
    }

    @Test
    public void workspaceVerificationNeedsANode() throws Exception {
        TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "no-node");
        p.setDefinition(new CpsFlowDefinition("verifySignature profile: 'release', source: 'workspace'", true));
        j.assertLogContains("call verifySignature inside a node block", j.buildAndAssertStatus(Result.FAILURE, p));
    }

    @Test
    public void trustAnchorsGivenToTheStepReplaceTheProfiles() throws Exception {
        String ca = TestProfiles.useTestKey().caPem();
        WorkflowJob p = j.createProject(WorkflowJob.class, "own-trust");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/a.txt', text: 'hello'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms']
                def r = verifySignature trustAnchors: '''%s'''
                echo "own trust: ${r.verified} verified"
                verifySignature trustAnchors: '''%s'''
                """.formatted(ca, otherCa()), true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("own trust: 1 verified", run);
        j.assertLogContains("1 of 1 verifications failed", run);
        SignatureRow last = run.getAction(SignatureReportAction.class).getRows().get(2);
        assertEquals(List.of("step:trustAnchors"), last.getTrust());
    }

    @Test
    public void revocationFollowsTheProfileAndTheStepCanOnlyMakeItStricter() throws Exception {
        TestProfiles.useTestToken();
        SigningProfile profile = HsmSigningConfiguration.get().getProfile(TestProfiles.PROFILE);
        profile.setRevocation("off");
        WorkflowJob p = j.createProject(WorkflowJob.class, "revocation");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/a.txt', text: 'hello'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms']
                def profiles = verifySignature profile: 'release'
                echo "profile's level: ${profiles.verified} verified"
                def raised = verifySignature profile: 'release', revocation: 'strict', failOnError: false
                echo "raised: ${raised.failed} failed"
                """, true));
        WorkflowRun first = j.buildAndAssertSuccess(p);
        j.assertLogContains("profile's level: 1 verified", first);
        j.assertLogContains("raised: 1 failed", first);
        j.assertLogContains("(revocation checking is strict)", first);

        Path crl = Files.write(tmp.newFile("ca.crl").toPath(), TestPki.shared().crl(Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)), Map.of()).getEncoded());
        profile.setRevocation("strict");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/a.txt', text: 'hello'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms']
                def lowered = verifySignature profile: 'release', revocation: 'off', failOnError: false
                echo "lowered: ${lowered.failed} failed"
                """, true));
        WorkflowRun second = j.buildAndAssertSuccess(p);
        j.assertLogContains("lowered: 1 failed", second);
        profile.setCrlFiles(crl.toString());
        WorkflowRun third = j.buildAndAssertSuccess(p);
        j.assertLogContains("lowered: 0 failed", third);
    }

    @Test
    public void configRoundTrip() throws Exception {
        TestProfiles.useTestKey();
        VerifySignatureStep full = new VerifySignatureStep();
        full.setProfile("release");
        full.setIncludes("dist/**");
        full.setExcludes("**/*.txt");
        full.setSource("workspace");
        full.setTrustAnchors(otherCa());
        full.setCertificates(otherCa());
        full.setRevocation("strict");
        full.setFailOnError(false);
        full.setExpectedBuilderId("https://ci.example.org/job/app/job/main/");
        full.setExpectedSourceRepository("https://git.example.org/app");
        full.setExpectedBranch("main");
        j.assertEqualDataBoundBeans(full, new StepConfigTester(j).configRoundTrip(full));

        VerifySignatureStep minimal = new VerifySignatureStep();
        minimal.setProfile("release");
        VerifySignatureStep after = new StepConfigTester(j).configRoundTrip(minimal);
        j.assertEqualDataBoundBeans(minimal, after);
        assertEquals("archive", after.getSource());
        assertTrue(after.isFailOnError());
        assertNull(after.getPgpKeys());
        assertNull(after.getExpectedBranch());
    }

    @Test
    public void anUnknownSourceIsRefused() {
        VerifySignatureStep step = new VerifySignatureStep();
        IllegalArgumentException e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                () -> step.setSource("s3"));
        assertThat(e.getMessage(), containsString("'archive' or 'workspace'"));
    }

    private static String otherCa() {
        return io.jenkins.plugins.hsmsigning.engine.testing.TestPki.toPem(
                io.jenkins.plugins.hsmsigning.engine.testing.TestPki.create("Another CA").caCertificate());
    }
}
