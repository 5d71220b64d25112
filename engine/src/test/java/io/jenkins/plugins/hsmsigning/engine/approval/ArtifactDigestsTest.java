package io.jenkins.plugins.hsmsigning.engine.approval;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class ArtifactDigestsTest {

    /** SHA-256 of "abc", FIPS 180-2 appendix B.1. */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    public void knownAnswer() throws Exception {
        assertEquals(ABC, ArtifactDigests.sha256(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    public void aReadIsCheckedAgainstItsApprovedDigestByName() throws Exception {
        List<ArtifactDigest> approved = List.of(new ArtifactDigest("dist/a", ABC));
        ArtifactDigests.checkSameArtifacts(approved, List.of("dist/a"));
        assertThat(assertThrows(SigningException.class, () -> ArtifactDigests.checkSameArtifacts(approved,
                List.of("dist/a", "dist/b"))).getMessage(), containsString("dist/b was not among the approved"
                        + " artifacts; nothing was signed."));
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
