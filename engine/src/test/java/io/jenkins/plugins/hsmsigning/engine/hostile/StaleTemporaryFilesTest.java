package io.jenkins.plugins.hsmsigning.engine.hostile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link AtomicFiles#removeStale} deletes only old regular files named like the engine's temporary copies, and old
 * working directories of deep signing.
 */
public class StaleTemporaryFilesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void onlyOldTemporaryFilesOfTheEngineAreRemoved() throws Exception {
        Path dir = tmp.newFolder("dir").toPath();
        Path outside = Files.writeString(tmp.getRoot().toPath().resolve("precious.tmp"), "keep me");
        Path stale = old(Files.writeString(dir.resolve(".hsmsign-123.tmp"), "leftover"));
        Path fresh = Files.writeString(dir.resolve(".hsmsign-456.tmp"), "another run, now");
        Path otherName = old(Files.writeString(dir.resolve("build.tmp"), "not ours"));
        Path otherSuffix = old(Files.writeString(dir.resolve(".hsmsign-789.txt"), "not ours"));
        Path link = dir.resolve(".hsmsign-link.tmp");
        Files.createSymbolicLink(link, outside);
        Files.setLastModifiedTime(outside, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Path directory = old(Files.createDirectory(dir.resolve(".hsmsign-dir.tmp")));

        assertEquals(1, AtomicFiles.removeStale(dir, AtomicFiles.STALE_AFTER));

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh));
        assertTrue(Files.exists(otherName));
        assertTrue(Files.exists(otherSuffix));
        assertTrue("a link is not followed nor deleted", Files.isSymbolicLink(link));
        assertEquals("keep me", Files.readString(outside));
        assertTrue(Files.isDirectory(directory));
        assertEquals("a missing directory is no error", 0,
                AtomicFiles.removeStale(dir.resolve("missing"), AtomicFiles.STALE_AFTER));
    }

    @Test
    public void oldWorkingDirectoriesOfDeepSigningAreRemovedWithTheirContents() throws Exception {
        Path dir = tmp.newFolder("deep").toPath();
        Path outside = tmp.newFolder("outside").toPath();
        Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
        old(precious);
        Path stale = Files.createDirectories(dir.resolve(".hsmsign-deep-1/container"));
        old(Files.writeString(stale.resolve("app.zip"), "half a container"));
        old(stale);
        old(stale.getParent());
        Path busy = Files.createDirectories(dir.resolve(".hsmsign-deep-2/0"));
        Files.writeString(busy.resolve("app.exe"), "another run is signing this now");
        old(busy);
        old(busy.getParent());
        Path linked = dir.resolve(".hsmsign-deep-3");
        Files.createSymbolicLink(linked, outside);
        Path notOurs = old(Files.createDirectories(dir.resolve("hsmsign-deep-4")));

        assertEquals(1, AtomicFiles.removeStale(dir, AtomicFiles.STALE_AFTER));

        assertFalse(Files.exists(stale.getParent()));
        assertTrue("a directory with something fresh inside is in use", Files.exists(busy.resolve("app.exe")));
        assertTrue("a link is not followed nor deleted", Files.isSymbolicLink(linked));
        assertEquals("keep me", Files.readString(precious));
        assertTrue(Files.isDirectory(notOurs));

        Path withLink = Files.createDirectories(dir.resolve(".hsmsign-deep-5"));
        Files.createSymbolicLink(withLink.resolve("link"), outside);
        assertTrue(AtomicFiles.deleteTree(withLink));
        assertEquals("a link inside is deleted, not followed", "keep me", Files.readString(precious));
    }

    private static Path old(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        return file;
    }
}
