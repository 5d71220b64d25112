package io.jenkins.plugins.hsmsigning.signing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import hudson.Functions;
import hudson.model.Result;
import io.jenkins.plugins.hsmsigning.TestProfiles;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import io.jenkins.plugins.hsmsigning.model.SignatureRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jenkins.util.VirtualFile;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * {@code archiveArtifacts} keeps a symbolic link of the workspace as a link in the archive. One that leads to a file of the
 * controller must be refused, not signed: otherwise the profile's key would sign whatever file a pipeline points at;
 * and no signature is archived over an archived link, which would write it into the file the link names.
 */
public class ArchivedSymlinkTest {

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void anArchivedLinkLeadingOutOfTheArchiveIsRefusedNotSigned() throws Exception {
        Assume.assumeFalse("symbolic links made by sh", Functions.isWindows());
        TestProfiles.useTestKey();
        Path secret = Files.writeString(tmp.newFile("controller-secret.txt").toPath(), "a file of the controller");
        Path victim = Files.writeString(tmp.newFile("controller-config.xml").toPath(), "<config/>");
        WorkflowJob p = j.createProject(WorkflowJob.class, "links");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'dist/readme.txt', text: 'hello'
                  writeFile file: 'dist/notes.txt', text: 'notes'
                  sh 'ln -s %s dist/leak.txt && ln -s %s dist/notes.txt.p7s'
                  archiveArtifacts artifacts: 'dist/**'
                }
                signArtifacts profile: 'release', includes: 'dist/**', formats: ['cms']
                """.formatted(secret, victim), true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);

        VirtualFile root = run.getArtifactManager().root();
        assertTrue("the link was archived as a link", Files.isSymbolicLink(
                Path.of(root.toURI()).resolve("dist/leak.txt")));
        j.assertLogContains("The archived artifact dist/leak.txt is a symbolic link, so it was not signed", run);
        assertFalse("no signature of the controller's file", root.child("dist/leak.txt.p7s").exists());
        assertFalse(Files.exists(secret.resolveSibling("controller-secret.txt.p7s")));
        assertTrue("the regular artifact is signed", root.child("dist/readme.txt.p7s").isFile());
        assertEquals("no signature archived through a link", "<config/>", Files.readString(victim));
        j.assertLogContains("The archived artifact dist/notes.txt.p7s is a symbolic link, so nothing is archived"
                + " over it", run);

        SignatureReportAction action = run.getAction(SignatureReportAction.class);
        assertNotNull(action);
        List<SignatureRow> rows = action.getRows();
        for (SignatureRow row : rows) {
            if (row.getPath().startsWith("dist/leak.txt")) {
                assertEquals(row.getPath(), "FAILED", row.getStatus());
            }
        }
        assertTrue(rows.stream().anyMatch(r -> r.getPath().equals("dist/leak.txt") && r.getStatus().equals("FAILED")));
        assertTrue(rows.stream().anyMatch(r -> r.getPath().equals("dist/notes.txt") && r.getStatus().equals("FAILED")
                && r.getReason().startsWith("Signed, but not published")));
        assertTrue(rows.stream().anyMatch(r -> r.getPath().equals("dist/readme.txt")
                && r.getStatus().equals("SIGNED")));
    }
}
