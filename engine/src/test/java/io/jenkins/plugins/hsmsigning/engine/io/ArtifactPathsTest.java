package io.jenkins.plugins.hsmsigning.engine.io;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ArtifactPathsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void escapingPathsAreRefused() {
        for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "C:/Windows/x.exe", "c:evil", "\\\\server\\share",
                "a/./b", "a//b", "", "a\0b")) {
            SigningException e = assertThrows(bad, SigningException.class, () -> ArtifactPaths.checkRelative(bad));
            assertEquals(SigningException.Kind.INPUT, e.kind());
            assertThat(e.getMessage(), containsString("leads outside"));
        }
    }

    @Test
    public void ordinaryPathsPass() throws Exception {
        assertEquals("dist/app.exe", ArtifactPaths.checkRelative("dist\\app.exe"));
        Path root = tmp.newFolder("root").toPath();
        assertEquals(root.toRealPath().resolve("new/dir/file"), ArtifactPaths.resolveWithin(root, "new/dir/file"));
    }

    @Test
    public void symbolicLinksLeadingOutAreRefused() throws Exception {
        Path root = tmp.newFolder("artifacts").toPath();
        Path outside = Files.writeString(tmp.newFolder("outside").toPath().resolve("secret.txt"), "x");
        Files.createSymbolicLink(root.resolve("link.txt"), outside);
        Files.createSymbolicLink(root.resolve("dir"), outside.getParent());
        assertThrows(SigningException.class, () -> ArtifactPaths.resolveWithin(root, "link.txt"));
        assertThrows(SigningException.class, () -> ArtifactPaths.resolveWithin(root, "dir/secret.txt"));
        assertThrows(SigningException.class, () -> ArtifactPaths.resolveWithin(root, "dir/new.txt"));
    }
}
