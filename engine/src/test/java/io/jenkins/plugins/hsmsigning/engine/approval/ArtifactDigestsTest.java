package io.jenkins.plugins.hsmsigning.engine.approval;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ArtifactDigestsTest {

    /** SHA-256 of "abc", FIPS 180-2 appendix B.1. */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void knownAnswer() throws Exception {
        assertEquals(ABC, ArtifactDigests.sha256(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))));
        Path file = tmp.newFile().toPath();
        Files.writeString(file, "abc", StandardCharsets.US_ASCII);
        assertEquals(ABC, ArtifactDigests.sha256(file));
    }

    @Test
    public void addedAndMissingArtifactsAreNamed() throws Exception {
        Path a = tmp.newFile("a").toPath();
        Files.writeString(a, "abc", StandardCharsets.US_ASCII);
        List<ArtifactDigest> approved = List.of(new ArtifactDigest("dist/a", ABC));
        ArtifactDigests.checkUnchanged(approved, Map.of("dist/a", a));
        assertThat(assertThrows(SigningException.class, () -> ArtifactDigests.checkUnchanged(approved,
                Map.of("dist/a", a, "dist/b", a))).getMessage(),
                containsString("dist/b was not among the approved artifacts"));
        assertThat(assertThrows(SigningException.class, () -> ArtifactDigests.checkUnchanged(
                List.of(new ArtifactDigest("dist/a", ABC), new ArtifactDigest("dist/c", ABC)),
                Map.of("dist/a", a))).getMessage(), containsString("dist/c was approved but is no longer"));
        Files.delete(a);
        assertThat(assertThrows(SigningException.class, () -> ArtifactDigests.checkUnchanged(approved,
                Map.of("dist/a", a))).getMessage(), containsString("dist/a cannot be read"));
    }

    @Test
    public void aReadIsCheckedAgainstItsApprovedDigestByName() throws Exception {
        List<ArtifactDigest> approved = List.of(new ArtifactDigest("dist/a", ABC));
        ArtifactDigests.checkSameArtifacts(approved, List.of("dist/a"));
        ArtifactDigests.checkRead(approved, "dist/a", ABC, "it was not signed.");
        assertThat(assertThrows(SigningException.class, () -> ArtifactDigests.checkRead(approved, "dist/a",
                "00" + ABC.substring(2), "it was not signed.")).getMessage(), containsString("dist/a changed after"
                        + " approval (approved SHA-256 " + ABC + ", now 00"));
        assertThat(assertThrows(SigningException.class, () -> ArtifactDigests.checkRead(approved, "dist/b", ABC,
                "it was not signed.")).getMessage(), containsString("dist/b was not among the approved artifacts;"
                        + " it was not signed."));
        assertThat(assertThrows(SigningException.class, () -> ArtifactDigests.checkSameArtifacts(approved,
                List.of())).getMessage(), containsString("dist/a was approved but is no longer"));
    }
}
