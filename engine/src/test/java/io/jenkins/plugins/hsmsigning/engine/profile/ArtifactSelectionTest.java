package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.Test;

public class ArtifactSelectionTest {

    @Test
    public void patternsAreTrimmedForJenkinsMatcher() {
        assertEquals("dist/*.exe,dist/*.msi", ArtifactSelection.includes(" dist/*.exe, dist/*.msi "));
        assertEquals("a/**,b/**", ArtifactSelection.includes("a/**\nb/**\r\n"));
        assertEquals(ArtifactSelection.ALL, ArtifactSelection.includes(null));
        assertEquals(ArtifactSelection.ALL, ArtifactSelection.includes(" , "));
        assertNull(ArtifactSelection.excludes(""));
        assertEquals("**/test/**", ArtifactSelection.excludes("**/test/** ,"));
    }

    @Test
    public void signatureFilesAndReservedNamesAreNeverSelected() {
        List<String> selected = ArtifactSelection.select(
                List.of("dist\\b.jar", "dist/a.exe", "dist/a.exe.p7s", "dist/a.exe.ASC", "signatures.json"),
                Set.of("signatures.json"));
        assertEquals(List.of("dist/a.exe", "dist/b.jar"), selected);
    }

    @Test
    public void detachedSignatureFilesOfAnArtifact() {
        assertEquals(List.of("dist/a.exe.p7s", "dist/a.exe.asc"), ArtifactSelection.detachedSignatureFiles("dist/a.exe"));
    }

    @Test
    public void describeNamesBothPatterns() {
        assertEquals("includes 'x'", ArtifactSelection.describe("x", null));
        assertEquals("includes 'x' and excludes 'y'", ArtifactSelection.describe("x", "y"));
    }
}
