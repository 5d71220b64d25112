package io.jenkins.plugins.hsmsigning.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.signing.AuditTrail;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

public class SigningAuditTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void oneLinePerSignedArtifactAndNoSecret() throws Exception {
        TestProfiles.TestKey key = TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "audited");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/a.txt', text: 'a'
                  writeFile file: 'dist/b.txt', text: 'b'
                  writeFile file: 'dist/c.txt', text: 'c'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['cms']
                """, true));
        WorkflowRun run = j.buildAndAssertSuccess(p);

        Path file = j.jenkins.getRootDir().toPath().resolve("hsm-signing/audit.jsonl");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        for (String line : lines) {
            assertThat(line, not(containsString(key.secret())));
            assertThat(line, not(containsString(TestProfiles.KEYSTORE_ID)));
        }

        String fingerprint = SignerDetails.of(key.certificate()).sha256Fingerprint();
        List<AuditRecord> records = AuditTrail.log().read(10, r -> true);
        assertEquals(Set.of("dist/a.txt", "dist/b.txt", "dist/c.txt"),
                records.stream().map(AuditRecord::artifact).collect(Collectors.toSet()));
        for (AuditRecord r : records) {
            assertEquals("audited", r.job());
            assertEquals(String.valueOf(run.getNumber()), r.build());
            assertEquals("release", r.profile());
            assertEquals("cms", r.format());
            assertEquals("SIGNED", r.result());
            assertEquals(fingerprint, r.signerFingerprint());
            assertEquals(sha256(run, r.artifact()), r.sha256());
            assertNotNull(r.time());
            assertEquals("every rule checked is recorded", List.of("job", "script-origin", "replay", "repository",
                    "branch", "fork", "formats", "timestamps"), r.policy().stream().map(c -> c.rule()).toList());
        }

        // The page under Manage Jenkins, filtered.
        JenkinsRule.WebClient wc = j.createWebClient();
        String page = wc.goTo("hsm-signing-audit/?profile=release&job=audited").getWebResponse()
                .getContentAsString();
        assertThat(page, containsString("dist/a.txt"));
        assertThat(page, containsString(fingerprint));
        assertThat(wc.goTo("hsm-signing-audit/?profile=other").getWebResponse().getContentAsString(),
                containsString("No record matches."));
        assertThat(wc.goTo("hsm-signing-audit/?job=team/**").getWebResponse().getContentAsString(),
                not(containsString("dist/a.txt")));
    }

    @Test
    public void onlyAdministratorsSeeTheAuditLog() throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("developer"));
        j.createWebClient().login("admin").goTo("hsm-signing-audit/");
        j.createWebClient().login("developer").assertFails("hsm-signing-audit/", HttpURLConnection.HTTP_FORBIDDEN);
    }

    private static String sha256(WorkflowRun run, String artifact) throws Exception {
        try (InputStream in = run.getArtifactManager().root().child(artifact).open()) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
