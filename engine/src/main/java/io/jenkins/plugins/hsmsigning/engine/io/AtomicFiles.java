package io.jenkins.plugins.hsmsigning.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader, or a killed process, never sees half of one: the content goes to a temporary file
 * beside the target and is then moved over the target in one step. Replacing an artifact also forces the copy to disk
 * first, so that not even a power cut loses it; signature and report files, which can be made again, skip that cost.
 */
public final class AtomicFiles {

    /** Temporary files start with this, so that an interrupted run's leftovers are recognisable. */
    public static final String TEMP_PREFIX = ".hsmsign-";
    /** Deep signing's private working directories beside the artifact start with this. */
    public static final String WORK_DIRECTORY_PREFIX = TEMP_PREFIX + "deep-";
    /** Temporary files end with this. */
    public static final String TEMP_SUFFIX = ".tmp";
    /**
     * How old a temporary file must be before {@link #removeStale} deletes it: far longer than signing one artifact
     * takes, so that a file another run is still writing is never touched.
     */
    public static final Duration STALE_AFTER = Duration.ofHours(1);

    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to {@code target} through a temporary file beside it, creating missing directories. The
     * file gets the permissions any new file of this process gets (umask), not the owner-only ones of a temporary file.
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path temp = tempName(target);
        OutputStream out = newFile(temp);
        boolean moved = false;
        try {
            try (out) {
                out.write(content);
            }
            move(temp, target);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * A new empty file in the target's directory, for a result that is completed and then {@link #replace}d; only its
     * owner can read it until then, whatever the artifact's own permissions.
     */
    public static Path tempBeside(Path target) throws IOException {
        Path temp = tempName(target);
        FileAttribute<?>[] ownerOnly = temp.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {OWNER_ONLY} : new FileAttribute<?>[0];
        try {
            return Files.createFile(temp, ownerOnly);
        } catch (NoSuchFileException e) {
            createParent(temp, e);
            return Files.createFile(temp, ownerOnly);
        }
    }

    private static OutputStream newFile(Path path) throws IOException {
        try {
            return Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            createParent(path, e);
            return Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    /** Creates the missing directory of {@code path}; without one, {@code missing} is the answer. */
    private static void createParent(Path path, NoSuchFileException missing) throws IOException {
        Path parent = path.getParent();
        if (parent == null) {
            throw missing;
        }
        Files.createDirectories(parent);
    }

    /**
     * A fresh temporary name beside {@code target}. It need not be unguessable: the file is created with
     * {@code CREATE_NEW}, which neither follows a planted link nor opens an existing file, so a clash fails safely.
     */
    private static Path tempName(Path target) {
        return target.toAbsolutePath().resolveSibling(TEMP_PREFIX
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    }

    /**
     * Deletes the leftovers of runs that were killed while signing in place: regular files (not links) directly in
     * {@code dir} named {@code .hsmsign-*.tmp}, and deep signing's working directories {@code .hsmsign-deep-*} (not
     * links) with everything in them, when the file, or the newest thing in the directory, was last modified more than
     * {@code olderThan} ago. A run that is killed never damages the artifact, since the temporary copy replaces it
     * only once complete and verified, but it can leave its copy behind; the next run that touches the directory
     * removes it. Problems (a file that vanished, a directory that cannot be listed) are ignored: a leftover is
     * harmless.
     *
     * @return how many files and working directories were deleted
     */
    public static int removeStale(Path dir, Duration olderThan) {
        int removed = 0;
        long cutoff = System.currentTimeMillis() - olderThan.toMillis();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path leftover : leftovers) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(leftover, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    String name = String.valueOf(leftover.getFileName());
                    if (attributes.isRegularFile() && name.endsWith(TEMP_SUFFIX)
                            && attributes.lastModifiedTime().toMillis() < cutoff && Files.deleteIfExists(leftover)) {
                        removed++;
                    } else if (attributes.isDirectory() && name.startsWith(WORK_DIRECTORY_PREFIX)
                            && newestModification(leftover) < cutoff && deleteTree(leftover)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // gone already, or not ours to delete
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // an unlistable directory keeps its leftovers
        }
        return removed;
    }

    /**
     * Deletes a directory and everything in it; links inside are deleted, never followed.
     *
     * @return whether the directory is gone
     */
    public static boolean deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // what is left stays; it is named like a leftover and removed by a later run
        }
        return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }

    /** When anything in a directory tree was last modified (links are not followed): a working run keeps it fresh. */
    private static long newestModification(Path dir) throws IOException {
        long[] newest = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                newest[0] = Math.max(newest[0], attrs.lastModifiedTime().toMillis());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                newest[0] = Math.max(newest[0], attrs.lastModifiedTime().toMillis());
                return FileVisitResult.CONTINUE;
            }
        });
        return newest[0];
    }

    /**
     * Flushes {@code complete} to disk and moves it over {@code target} atomically; the result keeps the target's
     * POSIX permissions (an executable stays executable, a shared file stays readable).
     */
    public static void replace(Path complete, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(complete, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        PosixFileAttributeView permissions = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (permissions != null && Files.exists(target)) {
            Files.setPosixFilePermissions(complete, permissions.readAttributes().permissions());
        }
        move(complete, target);
    }

    private static void move(Path complete, Path target) throws IOException {
        try {
            Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
