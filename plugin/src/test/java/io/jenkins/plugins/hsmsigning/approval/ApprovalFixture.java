package io.jenkins.plugins.hsmsigning.approval;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.signing.AuditTrail;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * People and a profile for approval tests: carol starts builds; alice and bob are listed approvers, dave approves
 * through the release-managers group, mallory is a developer who is not an approver, root administers Jenkins
 * (and is listed, to show that listing alone does not let an administrator in). Everyone may read.
 */
final class ApprovalFixture {

    static final String PIPELINE = """
            node {
              writeFile file: 'dist/a.txt', text: 'a'
              writeFile file: 'dist/b.txt', text: 'b'
              archiveArtifacts artifacts: 'dist/**'
            }
            def result = signArtifacts profile: 'release', formats: ['cms']
            echo "signed ${result.signed}"
            """;

    private ApprovalFixture() {
    }

    static void security(JenkinsRule j) {
        JenkinsRule.DummySecurityRealm realm = j.createDummySecurityRealm();
        realm.addGroups("dave", "release-managers");
        j.jenkins.setSecurityRealm(realm);
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("root")
                .grant(Jenkins.READ, Item.READ, Item.BUILD, Item.CANCEL).everywhere()
                .to("alice", "bob", "carol", "dave", "mallory"));
    }

    /** The test token's profile, needing {@code required} approvals of alice, bob, root and release-managers. */
    static SigningProfile profile(int required) throws Exception {
        SoftHsmToken token = TestProfiles.useTestToken();
        SigningProfile profile = TestProfiles.release(token);
        ApprovalSettings approval = new ApprovalSettings(required);
        approval.setApprovers("alice\nbob, root");
        approval.setApproverGroups("release-managers");
        profile.setApproval(approval);
        HsmSigningConfiguration.get().setProfiles(List.of(profile));
        return profile;
    }

    static WorkflowJob pipeline(JenkinsRule j, String name) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        return p;
    }

    /** A build started by carol, once it waits for approval. */
    static WorkflowRun startedByCarol(JenkinsRule j, WorkflowJob p) throws Exception {
        WorkflowRun run = p.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("carol"))).waitForStart();
        j.waitForMessage("Waiting for approval until", run);
        return run;
    }

    static ApprovalRequest request(Run<?, ?> run) {
        return run.getAction(ApprovalAction.class).getRequests().get(0);
    }

    /** POSTs approve or deny as {@code user} (anonymous if null); returns the HTTP status of that POST. */
    static int post(JenkinsRule j, String user, Run<?, ?> run, String verb, String comment) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        wc.getOptions().setRedirectEnabled(false);
        if (user != null) {
            wc.login(user);
        }
        // The status of the POST itself: not the login page that Jenkins' 403 page refreshes to for anonymous.
        wc.getOptions().setJavaScriptEnabled(false);
        wc.setRefreshHandler((page, url, seconds) -> { });
        URL url = wc.createCrumbedUrl(run.getUrl() + ApprovalAction.URL_NAME + "/" + verb);
        WebRequest request = new WebRequest(url, HttpMethod.POST);
        request.setRequestParameters(List.of(new NameValuePair("id", request(run).id()),
                new NameValuePair("comment", comment == null ? "" : comment)));
        return wc.getPage(request).getWebResponse().getStatusCode();
    }

    static List<String> auditResults() throws Exception {
        List<AuditRecord> newestFirst = new ArrayList<>(AuditTrail.log().read(100, r -> true));
        Collections.reverse(newestFirst);
        return newestFirst.stream().map(AuditRecord::result).toList();
    }
}
