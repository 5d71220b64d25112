package io.jenkins.plugins.hsmsigning.steps;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.engine.deep.DeepVerifier;
import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class DeepSigningStepTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void deepSignsTheJarInsideAnArchivedZipThenTheZip() throws Exception {
        TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "deep");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/app.zip', text: '%s', encoding: 'Base64'
                  archiveArtifacts artifacts: 'dist/**'
                }
                def r = signArtifacts profile: 'release', includes: 'dist/app.zip', deep: true,
                    innerDetached: 'docs/*.txt'
                echo "deep: ${r.signed} signed, ${r.failed} failed"
                """.formatted(zipBase64()), true));
        WorkflowRun run = j.buildAndAssertSuccess(p);

        j.assertLogContains("deep: the files inside containers are signed first", run);
        j.assertLogContains("dist/app.zip!/lib/tool.jar [jar] signed by " + TestProfiles.SIGNER, run);
        j.assertLogContains("dist/app.zip!/docs/readme.txt [cms] signed by " + TestProfiles.SIGNER, run);
        j.assertLogContains("dist/app.zip [cms] signed by " + TestProfiles.SIGNER, run);
        Path dir = tmp.newFolder("artifacts").toPath();
        for (String name : List.of("dist/app.zip", "dist/app.zip.p7s")) {
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = run.getArtifactManager().root().child(name).open()) {
                Files.copy(in, target);
            }
        }
        List<ReportEntry> verified = new DeepVerifier(VerificationOptions.trusting(List.of(TestPki.shared()
                .caCertificate())), InnerSelection.all()).verify(dir.resolve("dist/app.zip"), "dist/app.zip");
        assertEquals(verified.toString(), List.of("dist/app.zip!/lib/tool.jar", "dist/app.zip!/docs/readme.txt",
                "dist/app.zip"), verified.stream().map(ReportEntry::path).toList());
        for (ReportEntry e : verified) {
            assertEquals(e.toString(), Status.VERIFIED, e.status());
        }

        HtmlPage page = j.createWebClient().goTo(run.getUrl() + "signatures/");
        List<String> artifactLinks = hrefs(page, "hsm-signing-artifact");
        assertEquals("only the archived container is linked as an artifact", List.of("../artifact/dist/app.zip"),
                artifactLinks);
        assertEquals("each inner file links its archived container", List.of("../artifact/dist/app.zip",
                "../artifact/dist/app.zip"), hrefs(page, "hsm-signing-container"));
        assertThat(page.getWebResponse().getContentAsString(), containsString("dist/app.zip</a>!/lib/tool.jar"));
        for (Object a : page.getByXPath("//a[@href]")) {
            String href = ((HtmlAnchor) a).getHrefAttribute();
            assertThat("no link to a file that is not archived", href, not(containsString("app.zip!")));
            assertThat(href, not(containsString("app.zip%21")));
        }
    }

    @Test
    public void deepVerificationChecksAndReportsEachInnerSignature() throws Exception {
        TestProfiles.useTestKey();
        WorkflowJob p = j.createProject(WorkflowJob.class, "deep-verify");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/app.zip', text: '%s', encoding: 'Base64'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', includes: 'dist/app.zip'
                def shallow = verifySignature profile: 'release', includes: 'dist/**'
                echo "shallow: ${shallow.verified} verified, ${shallow.failed} failed"
                def deep = verifySignature profile: 'release', includes: 'dist/**', deep: true, failOnError: false
                echo "deep, unsigned inside: ${deep.verified} ok, ${deep.failed} failed, ${deep.artifacts} artifact"
                signArtifacts profile: 'release', includes: 'dist/app.zip', deep: true
                def again = verifySignature profile: 'release', includes: 'dist/**', deep: true,
                    innerExcludes: 'docs/**'
                echo "deep, signed inside: ${again.verified} verified, ${again.failed} failed"
                """.formatted(zipBase64()), true));
        WorkflowRun run = j.buildAndAssertSuccess(p);

        j.assertLogContains("shallow: 1 verified, 0 failed", run);
        j.assertLogContains("dist/app.zip!/lib/tool.jar FAILED: No signature found for "
                + "dist/app.zip!/lib/tool.jar", run);
        j.assertLogContains("deep, unsigned inside: 1 ok, 1 failed, 1 artifact", run);
        j.assertLogContains("and the files inside containers (deep)", run);
        j.assertLogContains("dist/app.zip!/lib/tool.jar [jar] verified, signed by " + TestProfiles.SIGNER, run);
        j.assertLogContains("deep, signed inside: 2 verified, 0 failed", run);
    }

    private static List<String> hrefs(HtmlPage page, String linkClass) {
        return page.getByXPath("//a[@class='" + linkClass + "']").stream()
                .map(a -> ((HtmlAnchor) a).getHrefAttribute()).toList();
    }

    private static String zipBase64() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar, manifest)) {
            out.putNextEntry(new JarEntry("hello.txt"));
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("lib/tool.jar"));
            out.write(jar.toByteArray());
            out.closeEntry();
            out.putNextEntry(new ZipEntry("docs/readme.txt"));
            out.write("read me".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return Base64.getEncoder().encodeToString(zip.toByteArray());
    }
}
