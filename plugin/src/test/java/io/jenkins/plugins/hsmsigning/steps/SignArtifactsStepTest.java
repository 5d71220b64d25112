package io.jenkins.plugins.hsmsigning.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import hudson.model.Result;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.Pkcs11KeySourceConfig;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import jenkins.util.VirtualFile;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
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

public class SignArtifactsStepTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void earlierAuthenticodeSignaturesAreKeptUnlessReplaceIsAsked() throws Exception {
        TestProfiles.useTestToken();
        WorkflowJob p = j.createProject(WorkflowJob.class, "resign");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/install.ps1', text: 'Write-Output "hello"'
                  archiveArtifacts artifacts: 'dist/**'
                }
                def first = signArtifacts profile: 'release', includes: 'dist/*.ps1'
                def again = signArtifacts profile: 'release', includes: 'dist/*.ps1'
                def replaced = signArtifacts profile: 'release', includes: 'dist/*.ps1', replace: true
                echo "signed: ${first.signed} ${again.signed} ${replaced.signed}"
                """, true));
        WorkflowRun run = j.buildAndAssertSuccess(p);

        j.assertLogContains("signed: 1 1 1", run);
        j.assertLogContains("dist/install.ps1 [authenticode] signed by HSM Signing Test rsa3072", run);
        j.assertLogContains("earlier Authenticode signatures: replaced its own earlier signature (same certificate "
                + "and digest)", run);
        j.assertLogContains("formats: auto; earlier Authenticode signatures are replaced.", run);
        Path artifacts = copyArtifacts(run);
        List<ReportEntry> verified = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared()
                .caCertificate()))).verify(artifacts.resolve("dist/install.ps1"), "dist/install.ps1");
        assertEquals("signing again added no duplicate", 1, verified.size());
        assertEquals(Status.VERIFIED, verified.get(0).status());
    }

    @Test
    public void signsArchivedArtifactsInEveryFormat() throws Exception {
        TestProfiles.TestKey key = TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/readme.txt', text: 'hello'
                  writeFile file: 'dist/install.ps1', text: 'Write-Output "hello"'
                  writeFile file: 'dist/app.jar', text: '%s', encoding: 'Base64'
                  archiveArtifacts artifacts: 'dist/**'
                }
                // auto: the JAR gets its embedded signature, the text file CMS (PowerShell scripts are signed in place)
                def auto = signArtifacts profile: 'release', includes: 'dist/**', excludes: '**/*.ps1'
                def ps = signArtifacts profile: 'release', includes: 'dist/*.ps1', formats: ['authenticode']
                def pgp = signArtifacts profile: 'release', includes: 'dist/readme.txt', formats: ['pgp']
                echo "auto: ${auto.signed} signed of ${auto.artifacts}, ${auto.failed} failed"
                echo "script: ${ps.signed}, pgp: ${pgp.signed}"
                echo "first result: ${auto.results[0].path} ${auto.results[0].status}"
                """.formatted(jarBase64()), true));
        WorkflowRun run = j.buildAndAssertSuccess(p);

        j.assertLogContains("auto: 2 signed of 2, 0 failed", run);
        j.assertLogContains("script: 1, pgp: 1", run);
        j.assertLogContains("first result: dist/app.jar SIGNED", run);
        j.assertLogContains("dist/app.jar [jar] signed by " + TestProfiles.SIGNER, run);
        j.assertLogContains("dist/install.ps1 [authenticode] signed by " + TestProfiles.SIGNER, run);
        j.assertLogContains("dist/readme.txt [cms] signed by " + TestProfiles.SIGNER, run);
        j.assertLogContains("dist/readme.txt [pgp] signed by " + TestProfiles.SIGNER, run);
        j.assertLogNotContains(key.secret(), run);

        // The archived artifacts verify with the engine, embedded and detached signatures alike.
        Path artifacts = copyArtifacts(run);
        Verifier verifier = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate()))
                .withPgpKeys(List.of(PgpKeys.publicKey(key.certificate()))));
        assertEquals(Set.of("cms", "pgp"), verifiedFormats(verifier, artifacts, "dist/readme.txt"));
        assertEquals(Set.of("authenticode"), verifiedFormats(verifier, artifacts, "dist/install.ps1"));
        assertEquals(Set.of("jar"), verifiedFormats(verifier, artifacts, "dist/app.jar"));

        // The three steps added to one report: the action, its REST API and the archived JSON.
        SignatureReportAction action = run.getAction(SignatureReportAction.class);
        assertNotNull(action);
        assertEquals(4, action.getSigned());
        assertEquals(0, action.getFailed());
        assertEquals(1, run.getActions(SignatureReportAction.class).size());

        JenkinsRule.WebClient wc = j.createWebClient();
        JSONObject json = JSONObject.fromObject(wc.goTo(run.getUrl() + "signatures/api/json", "application/json")
                .getWebResponse().getContentAsString());
        assertEquals(4, json.getInt("signed"));
        assertEquals(0, json.getInt("failed"));
        assertEquals("signatures.json", json.getString("reportFile"));
        JSONArray rows = json.getJSONArray("artifacts");
        assertEquals(4, rows.size());
        String fingerprint = SignerDetails.of(key.certificate()).sha256Fingerprint();
        Set<String> formats = new TreeSet<>();
        for (Object o : rows) {
            JSONObject row = (JSONObject) o;
            assertEquals("SIGNED", row.getString("status"));
            assertEquals(fingerprint, row.getString("fingerprint"));
            assertThat(row.getString("signer"), containsString("CN=" + TestProfiles.SIGNER));
            formats.add(row.getString("path") + " " + row.getString("format"));
        }
        assertEquals(new TreeSet<>(List.of("dist/app.jar jar", "dist/install.ps1 authenticode",
                "dist/readme.txt cms", "dist/readme.txt pgp")), formats);

        assertThat(wc.getPage(run).getWebResponse().getContentAsString(),
                containsString("Signatures: 4 signed, 0 verified, 0 failed"));
        assertThat(wc.getPage(run, "signatures/").getWebResponse().getContentAsString(),
                containsString(fingerprint));

        SignatureReport report;
        try (InputStream in = run.getArtifactManager().root().child("signatures.json").open()) {
            report = SignatureReport.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(4, report.entries().size());
        assertEquals("release", report.context().metadata().get("profile"));
        assertEquals("app", report.context().metadata().get("job"));
    }

    @Test
    public void noMatchingArtifactFailsAndNamesThePattern() throws Exception {
        TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "empty");
        p.setDefinition(new CpsFlowDefinition("signArtifacts profile: 'release', includes: 'dist/*.exe, dist/*.msi'",
                true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("matches includes 'dist/*.exe,dist/*.msi'", run);

        p.setDefinition(new CpsFlowDefinition("""
                def r = signArtifacts profile: 'release', includes: 'dist/*.exe', allowEmpty: true
                echo "signed ${r.signed} of ${r.artifacts}"
                """, true));
        j.assertLogContains("signed 0 of 0", j.buildAndAssertSuccess(p));
    }

    @Test
    public void unknownProfileFailsAndListsTheDefinedOnes() throws Exception {
        TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "typo");
        p.setDefinition(new CpsFlowDefinition("signArtifacts profile: 'relaese'", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("There is no signing profile 'relaese'", run);
        j.assertLogContains("defined: 'release'", run);
    }

    @Test
    public void configRoundTrip() throws Exception {
        SigningProfile profile = new SigningProfile("release");
        profile.setKeySource(new Pkcs11KeySourceConfig("/usr/lib/softhsm/libsofthsm2.so", "code-signing", "pin"));
        HsmSigningConfiguration.get().setProfiles(List.of(profile));

        SignArtifactsStep full = new SignArtifactsStep("release");
        full.setIncludes("dist/**/*.exe, dist/**/*.jar");
        full.setExcludes("**/test/**");
        full.setFormats(List.of("cms", "authenticode"));
        full.setTsaUrls("http://tsa.example.com/rfc3161 http://tsa2.example.com");
        full.setAllowEmpty(true);
        full.setProvenance(true);
        full.setSboms("sbom/*.json");
        full.setProgramName("Example Installer");
        full.setProgramUrl("https://example.com/installer");
        j.assertEqualDataBoundBeans(full, new StepConfigTester(j).configRoundTrip(full));

        SignArtifactsStep minimal = new SignArtifactsStep("release");
        SignArtifactsStep after = new StepConfigTester(j).configRoundTrip(minimal);
        j.assertEqualDataBoundBeans(minimal, after);
        assertThat(after.getFormats().isEmpty(), is(true));
        assertNull(after.getTsaUrls());
        assertFalse(after.isAllowEmpty());
        assertFalse(after.isProvenance());
        assertNull(after.getSboms());
    }

    private Path copyArtifacts(WorkflowRun run) throws Exception {
        Path dir = tmp.newFolder("artifacts").toPath();
        VirtualFile root = run.getArtifactManager().root();
        for (String path : root.list("**", null, false)) {
            Path target = dir.resolve(path);
            Files.createDirectories(target.getParent());
            try (InputStream in = root.child(path).open()) {
                Files.copy(in, target);
            }
        }
        return dir;
    }

    private static Set<String> verifiedFormats(Verifier verifier, Path dir, String path) {
        List<ReportEntry> entries = verifier.verify(dir.resolve(path), path);
        for (ReportEntry e : entries) {
            assertEquals(path + " [" + e.format() + "]: " + e.reason(), Status.VERIFIED, e.status());
        }
        return entries.stream().map(ReportEntry::format).collect(Collectors.toCollection(HashSet::new));
    }

    /** A small JAR with a manifest, which the engine signs as {@code jar}. */
    private static String jarBase64() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("hello.txt"));
            jar.write("hello".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
