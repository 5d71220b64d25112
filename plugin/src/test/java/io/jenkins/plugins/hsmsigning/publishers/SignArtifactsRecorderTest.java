package io.jenkins.plugins.hsmsigning.publishers;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.ArtifactArchiver;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.io.IOException;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;

public class SignArtifactsRecorderTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void aFreestyleJobArchivesThenSigns() throws Exception {
        TestProfiles.TestKey key = TestProfiles.useTestKey();
        FreeStyleProject p = j.createFreeStyleProject("freestyle");
        p.getBuildersList().add(new WriteFiles(false));
        p.getPublishersList().add(new ArtifactArchiver("dist/**"));
        SignArtifactsRecorder signer = new SignArtifactsRecorder("release");
        signer.setFormats(List.of("cms"));
        p.getPublishersList().add(signer);

        FreeStyleBuild build = j.buildAndAssertSuccess(p);
        j.assertLogContains("Signing 2 artifacts with signing profile 'release', formats: cms.", build);
        j.assertLogContains("dist/app.txt [cms] signed by " + TestProfiles.SIGNER, build);
        j.assertLogContains("dist/readme.txt [cms] signed by " + TestProfiles.SIGNER, build);
        j.assertLogNotContains(key.secret(), build);
        assertTrue(build.getArtifactManager().root().child("dist/app.txt.p7s").isFile());
        assertTrue(build.getArtifactManager().root().child("dist/readme.txt.p7s").isFile());
        SignatureReportAction report = build.getAction(SignatureReportAction.class);
        assertEquals(2, report.getSigned());
        assertEquals(0, report.getFailed());
    }

    @Test
    public void withoutArchivingItFailsAndSaysWhereItGoes() throws Exception {
        TestProfiles.useTestKey();
        FreeStyleProject p = j.createFreeStyleProject("not-archived");
        p.getBuildersList().add(new WriteFiles(false));
        p.getPublishersList().add(new SignArtifactsRecorder("release"));
        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("this build archived nothing", build);
        j.assertLogContains("the post-build action \"Sign archived artifacts\" goes after \"Archive the artifacts\"",
                build);
    }

    @Test
    public void aFailedBuildSignsNothing() throws Exception {
        TestProfiles.useTestKey();
        FreeStyleProject p = j.createFreeStyleProject("failed");
        p.getBuildersList().add(new WriteFiles(true));
        p.getPublishersList().add(new ArtifactArchiver("dist/**"));
        p.getPublishersList().add(new SignArtifactsRecorder("release"));
        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("The build has already failed (FAILURE), so nothing is signed.", build);
        assertNull(build.getAction(SignatureReportAction.class));
    }

    @Test
    public void aFreestyleBuildAttestsItsProvenanceAndItsSbom() throws Exception {
        TestProfiles.useTestToken();
        FreeStyleProject p = j.createFreeStyleProject("attested");
        p.getBuildersList().add(new WriteFiles(false));
        p.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
                    throws InterruptedException, IOException {
                build.getWorkspace().child("sbom/app.cdx.json").write("{\"bomFormat\":\"CycloneDX\","
                        + "\"metadata\":{\"component\":{\"name\":\"app.txt\"}}}", "UTF-8");
                return true;
            }
        });
        p.getPublishersList().add(new ArtifactArchiver("dist/**,sbom/**"));
        SignArtifactsRecorder signer = new SignArtifactsRecorder("release");
        signer.setIncludes("dist/**");
        signer.setFormats(List.of("cms"));
        signer.setProvenance(true);
        signer.setSboms("sbom/*.json");
        p.getPublishersList().add(signer);

        FreeStyleBuild build = j.buildAndAssertSuccess(p);
        j.assertLogContains("provenance.sigstore.json [slsa-provenance] signed by HSM Signing Test rsa3072", build);
        j.assertLogContains("sbom/app.cdx.json.att.sigstore.json [sbom-attestation] signed by", build);
        for (String file : List.of("provenance.sigstore.json", "provenance.chain.pem",
                "sbom/app.cdx.json.att.sigstore.json", "sbom/app.cdx.json.att.chain.pem")) {
            assertTrue(file, build.getArtifactManager().root().child(file).isFile());
        }
        assertEquals(4, build.getAction(SignatureReportAction.class).getSigned());
    }

    @Test
    public void configRoundTrip() throws Exception {
        TestProfiles.useTestKey();
        SignArtifactsRecorder full = new SignArtifactsRecorder("release");
        full.setIncludes("dist/**/*.exe, dist/**/*.jar");
        full.setExcludes("**/test/**");
        full.setFormats(List.of("cms", "pgp"));
        full.setTsaUrls("http://tsa.example.com/rfc3161");
        full.setAllowEmpty(true);
        full.setProvenance(true);
        full.setSboms("sbom/*.json");
        full.setProgramName("Example Installer");
        full.setProgramUrl("https://example.com/installer");
        j.assertEqualDataBoundBeans(full, j.configRoundtrip(full));

        SignArtifactsRecorder minimal = new SignArtifactsRecorder("release");
        SignArtifactsRecorder after = j.configRoundtrip(minimal);
        j.assertEqualDataBoundBeans(minimal, after);
        assertTrue(after.getFormats().isEmpty());
        assertFalse(after.isAllowEmpty());
    }

    /** Writes two files into the workspace, as a build would; optionally fails the build. */
    private static final class WriteFiles extends TestBuilder {

        private final boolean fail;

        WriteFiles(boolean fail) {
            this.fail = fail;
        }

        @Override
        public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
                throws InterruptedException, IOException {
            build.getWorkspace().child("dist/app.txt").write("hello", "UTF-8");
            build.getWorkspace().child("dist/readme.txt").write("read me", "UTF-8");
            return !fail;
        }
    }
}
