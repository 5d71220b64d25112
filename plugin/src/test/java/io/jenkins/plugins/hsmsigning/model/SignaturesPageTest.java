package io.jenkins.plugins.hsmsigning.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import java.util.List;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/** The build log and the Signatures page of a build that signs many artifacts. */
public class SignaturesPageTest {

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void theLogShowsFiftyArtifactsThenSumsUpAndThePageLinksEveryFileAndSaysEachWarningOnce()
            throws Exception {
        TestProfiles.useTestKey();
        SigningProfile profile = TestProfiles.release();
        // Nothing listens there: every signature gets the same "not timestamped" warning.
        profile.setTsaUrls("http://127.0.0.1:9/tsa");
        HsmSigningConfiguration.get().setProfiles(List.of(profile));
        WorkflowJob p = j.createProject(WorkflowJob.class, "many");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  for (int i = 0; i < 60; i++) {
                    writeFile file: "dist/file ${i}.txt", text: "content ${i}"
                  }
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', includes: 'dist/**', formats: ['cms']
                """, true));
        WorkflowRun run = j.buildAndAssertSuccess(p);

        String log = JenkinsRule.getLog(run);
        assertEquals(50, log.lines().filter(l -> l.contains(".txt [cms] signed by")).count());
        j.assertLogContains("... and 10 more, see Signatures (" + run.getUrl() + "signatures/)", run);
        j.assertLogContains("60 signed, 0 verified, 0 failed, 60 with warnings", run);

        SignatureReportAction action = run.getAction(SignatureReportAction.class);
        assertEquals(60, action.getWithWarnings());
        assertEquals(1, action.getDistinctWarnings().size());
        String warning = action.getDistinctWarnings().get(0).text();

        JenkinsRule.WebClient wc = j.createWebClient();
        HtmlPage page = wc.goTo(run.getUrl() + "signatures/");
        String html = page.getWebResponse().getContentAsString();
        assertThat(html, containsString("href=\"../artifact/dist/file%2042.txt\""));
        assertThat(html, containsString("href=\"../artifact/dist/file%2042.txt.p7s\""));
        assertEquals("the warning is said once", 1, countOf(page.asNormalizedText(), warning));
        assertEquals(60, page.getByXPath("//a[@class='hsm-signing-warning-ref']").size());
        assertEquals(60, page.getByXPath("//tr[@class='hsm-signing-row']").size());
        assertThat(html, not(containsString(action.getRows().get(0).getSha256Before() + "<")));

        HtmlPage failedOnly = wc.goTo(run.getUrl() + "signatures/?status=FAILED");
        assertEquals(0, failedOnly.getByXPath("//tr[@class='hsm-signing-row']").size());

        String buildPage = wc.goTo(run.getUrl()).getWebResponse().getContentAsString();
        assertThat(buildPage, containsString("Signatures: 60 signed, 0 verified, 0 failed, 60 with warnings"));
    }

    @Test
    public void verboseLogsEveryArtifact() throws Exception {
        TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "verbose");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  for (int i = 0; i < 55; i++) {
                    writeFile file: "dist/f${i}.txt", text: "content ${i}"
                  }
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', includes: 'dist/**', formats: ['cms'], verbose: true
                """, true));
        WorkflowRun run = j.buildAndAssertSuccess(p);
        assertEquals(55, JenkinsRule.getLog(run).lines().filter(l -> l.contains(".txt [cms] signed by")).count());
        j.assertLogNotContains("more, see Signatures", run);
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
