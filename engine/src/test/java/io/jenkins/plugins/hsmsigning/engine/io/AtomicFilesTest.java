package io.jenkins.plugins.hsmsigning.engine.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AtomicFilesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Permissions are POSIX permissions: on Windows these tests have nothing to check. */
    private static void assumePosix() {
        assumeTrue("the file system has no POSIX permissions",
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    }

    @Test
    public void signatureFilesGetTheUsualPermissionsNotThoseOfATemporaryFile() throws IOException {
        assumePosix();
        Path dir = tmp.newFolder().toPath();
        Path usual = Files.createFile(dir.resolve("usual"));
        Path written = dir.resolve("a.bin.p7s");

        AtomicFiles.write(written, "signature".getBytes(StandardCharsets.US_ASCII));

        assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(written));
        assertEquals(List.of("a.bin.p7s", "usual"), names(dir));
    }

    @Test
    public void writeCreatesMissingDirectoriesAndReplacesAnOlderFile() throws IOException {
        Path target = tmp.getRoot().toPath().resolve("out/deep/a.asc");

        AtomicFiles.write(target, new byte[] {1});
        AtomicFiles.write(target, new byte[] {2, 3});

        assertArrayEquals(new byte[] {2, 3}, Files.readAllBytes(target));
        assertEquals(List.of("a.asc"), names(target.getParent()));
    }

    @Test
    public void aFailedWriteLeavesNoTemporaryFile() throws IOException {
        Path dir = tmp.newFolder().toPath();
        Path occupied = Files.createDirectory(dir.resolve("a.p7s"));
        Files.createFile(occupied.resolve("inside"));

        assertThrows(IOException.class, () -> AtomicFiles.write(occupied, new byte[] {1}));

        assertEquals(List.of("a.p7s"), names(dir));
    }

    @Test
    public void aReplacedArtifactKeepsItsPermissionsAndTheCopyIsPrivateUntilThen() throws IOException {
        assumePosix();
        Path dir = tmp.newFolder().toPath();
        for (String mode : List.of("rwxr-xr-x", "rw-r-----", "rw-rw-r--")) {
            Path artifact = Files.write(dir.resolve("app-" + mode + ".exe"), new byte[] {1});
            Files.setPosixFilePermissions(artifact, PosixFilePermissions.fromString(mode));

            Path copy = AtomicFiles.tempBeside(artifact);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
            assertTrue(copy.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX));
            Files.write(copy, new byte[] {2});
            AtomicFiles.replace(copy, artifact);

            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(artifact)));
            assertArrayEquals(new byte[] {2}, Files.readAllBytes(artifact));
        }
        assertTrue(names(dir).stream().noneMatch(n -> n.startsWith(AtomicFiles.TEMP_PREFIX)));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
