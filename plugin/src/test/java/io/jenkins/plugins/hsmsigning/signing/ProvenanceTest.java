package io.jenkins.plugins.hsmsigning.signing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.PasswordParameterDefinition;
import hudson.model.Result;
import hudson.model.StringParameterDefinition;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.attest.SigstoreBundle;
import io.jenkins.plugins.hsmsigning.engine.attest.Statement;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.branch.BranchSource;
import jenkins.scm.impl.mock.MockSCMController;
import jenkins.scm.impl.mock.MockSCMDiscoverBranches;
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

/** {@code signArtifacts(provenance: true)}: what the archived provenance says, and that verifySignature checks it. */
public class ProvenanceTest {

    private static final String SIGN = """
            node {
              writeFile file: 'dist/app.txt', text: 'hello'
              archiveArtifacts artifacts: 'dist/**'
            }
            signArtifacts profile: 'release', formats: ['cms'], provenance: true
            """;

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void aMultibranchBuildsProvenanceNamesItsBranchAndCommit() throws Exception {
        TestProfiles.useTestToken();
        String pipeline = SIGN + """
                verifySignature profile: 'release', expectedBranch: 'master'
                def mismatch = verifySignature profile: 'release', includes: '*.sigstore.json', \
                    expectedBranch: 'release', failOnError: false
                echo "mismatch: ${mismatch.failed} ${mismatch.results[0].reason}"
                """;
        try (MockSCMController scm = MockSCMController.create()) {
            scm.createRepository("repo");
            scm.addFile("repo", "master", "Jenkinsfile", "Jenkinsfile", pipeline.getBytes(StandardCharsets.UTF_8));
            String commit = scm.getRevision("repo", "master");

            WorkflowMultiBranchProject mp = j.jenkins.createProject(WorkflowMultiBranchProject.class, "app");
            mp.getSourcesList().add(new BranchSource(new MockSCMSource(scm, "repo", new MockSCMDiscoverBranches())));
            mp.scheduleBuild2(0).getFuture().get();
            j.waitUntilNoActivity();
            WorkflowJob master = mp.getItem("master");
            assertNotNull(master);
            WorkflowRun run = j.assertBuildStatusSuccess(master.getLastBuild());

            j.assertLogContains("provenance.sigstore.json [slsa-provenance] signed by HSM Signing Test rsa3072", run);
            assertTrue(run.getArtifactManager().root().child("provenance.chain.pem").isFile());
            JsonNode statement = statement(run, AttestationFiles.PROVENANCE);
            assertEquals("dist/app.txt", statement.path("subject").get(0).path("name").asText());
            JsonNode predicate = statement.path("predicate");
            JsonNode external = predicate.path("buildDefinition").path("externalParameters");
            assertEquals("app/master", external.path("job").asText());
            assertEquals("master", external.path("branch").asText());
            assertEquals(commit, external.path("sources").get(0).path("commit").asText());
            assertEquals(commit, predicate.path("buildDefinition").path("resolvedDependencies").get(0)
                    .path("digest").elements().next().asText());
            assertEquals(j.getURL() + "job/app/job/master/", predicate.path("runDetails").path("builder")
                    .path("id").asText());
            assertEquals(j.getURL() + "job/app/job/master/1/", predicate.path("runDetails").path("metadata")
                    .path("invocationId").asText());
            assertEquals("release", predicate.path("buildDefinition").path("internalParameters")
                    .path("signingProfile").asText());

            j.assertLogContains("provenance.sigstore.json [slsa-provenance] verified", run);
            j.assertLogContains("mismatch: 1 provenance.sigstore.json: it was built from branch 'master', not from"
                    + " the expected branch release.", run);

            List<AuditRecord> audited = AuditTrail.log().read(10, r -> "slsa-provenance".equals(r.format()));
            assertEquals(1, audited.size());
            assertEquals(AttestationFiles.PROVENANCE, audited.get(0).artifact());
        }
    }

    @Test
    public void parametersAreRecordedWithoutSecrets() throws Exception {
        TestProfiles.useTestToken();
        WorkflowJob p = j.createProject(WorkflowJob.class, "params");
        p.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("RELEASE", "1.0"),
                new PasswordParameterDefinition("TOKEN", "s3cr3t-value", "")));
        p.setDefinition(new CpsFlowDefinition(SIGN, true));
        WorkflowRun run = j.buildAndAssertSuccess(p);
        JsonNode external = statement(run, AttestationFiles.PROVENANCE).path("predicate").path("buildDefinition")
                .path("externalParameters");
        assertEquals("1.0", external.path("parameters").path("RELEASE").asText());
        assertFalse(external.path("parameters").has("TOKEN"));
        assertFalse(read(run, AttestationFiles.PROVENANCE).contains("s3cr3t-value"));
        assertFalse(external.has("branch"));

        // A second signing in the same build does not overwrite the first provenance.
        p.setDefinition(new CpsFlowDefinition(SIGN + "signArtifacts profile: 'release', includes: 'dist/**',"
                + " formats: ['pgp'], provenance: true\n", true));
        WorkflowRun twice = j.buildAndAssertSuccess(p);
        assertTrue(twice.getArtifactManager().root().child("provenance-2.sigstore.json").isFile());
    }

    @Test
    public void nothingIsAttestedWhenASignatureFailed() throws Exception {
        TestProfiles.useTestToken();
        WorkflowJob p = j.createProject(WorkflowJob.class, "broken");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/empty.exe', text: ''
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', formats: ['authenticode'], provenance: true
                """, true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("Nothing is attested: not every artifact was signed.", run);
        assertFalse(run.getArtifactManager().root().child(AttestationFiles.PROVENANCE).exists());
    }

    private static JsonNode statement(WorkflowRun run, String bundle) throws Exception {
        byte[] payload = SigstoreBundle.parse(read(run, bundle).getBytes(StandardCharsets.UTF_8)).payload();
        Statement.parse(payload); // a well-formed in-toto statement v1
        return new ObjectMapper().readTree(payload);
    }

    private static String read(WorkflowRun run, String path) throws Exception {
        try (InputStream in = run.getArtifactManager().root().child(path).open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
