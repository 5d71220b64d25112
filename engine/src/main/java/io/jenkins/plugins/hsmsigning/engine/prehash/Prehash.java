package io.jenkins.plugins.hsmsigning.engine.prehash;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Reads and hashes artifacts for detached signatures while the key is still opening (provider set-up and token
 * login take a large part of a second, hashing a large file some seconds): the signer then finds those hashes ready
 * instead of starting to read only once the token answers. One background thread, in the artifacts' order; it starts
 * no new artifact once {@link #stop} is called (the key is open), and the artifact it is reading then is finished and
 * handed over, so no file is read twice.
 *
 * <p>A hash is handed over only if the file still has the size, modification time and identity it had when reading
 * began; otherwise the signer reads it again. Only when every requested format is detached (CMS, OpenPGP): an
 * embedded format rewrites the artifact, and automatic format detection must look at it first.
 */
public final class Prehash implements AutoCloseable {

    /** At most this many artifacts are read ahead, so that a huge batch of tiny files cannot fill memory. */
    static final int MAX_ARTIFACTS = 10_000;

    private static final Prehash NONE = new Prehash(Set.of());
    /** Marks a file the signer asked for before the reader got to it: the reader then leaves it alone. */
    private static final Pending TAKEN = new Pending(null, null);

    private final Set<DigestAlgorithm> digests;
    private final Map<Path, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    private record Pending(BasicFileAttributes before, CompletableFuture<ContentHashes> hashes) {
    }

    private Prehash(Set<DigestAlgorithm> digests) {
        this.digests = digests;
    }

    /** Starts reading {@code artifacts} ahead, in this order, if {@code options} sign with detached formats only. */
    public static Prehash start(List<Path> artifacts, SigningOptions options) {
        if (artifacts.isEmpty() || options.autoFormat() || options.formats().isEmpty()
                || !options.formats().stream().allMatch(Format::detached)) {
            return NONE;
        }
        Prehash prehash = new Prehash(Set.of(options.digest()));
        List<Path> ahead = List.copyOf(artifacts.subList(0, Math.min(artifacts.size(), MAX_ARTIFACTS)));
        Thread reader = new Thread(() -> prehash.readAhead(ahead), "hsm-signing prehash");
        reader.setDaemon(true);
        reader.start();
        return prehash;
    }

    private void readAhead(List<Path> artifacts) {
        for (Path file : artifacts) {
            if (stopped) {
                return;
            }
            CompletableFuture<ContentHashes> hashes = new CompletableFuture<>();
            try {
                BasicFileAttributes before = attributes(file);
                if (before == null || pending.putIfAbsent(file, new Pending(before, hashes)) != null) {
                    continue;
                }
                hashes.complete(ContentHashes.of(file, digests));
            } catch (IOException | RuntimeException e) {
                // the signer reads it itself and reports the problem in its own words
            } finally {
                hashes.complete(null); // no effect once completed; never leaves a signer waiting
            }
        }
    }

    /** No new artifact is started from now on; the one being read is finished. */
    public void stop() {
        stopped = true;
    }

    /**
     * The hashes of {@code file} read ahead, waiting for them if reading is under way; null if it was not read ahead,
     * failed, or changed since (the caller then reads it itself).
     */
    public ContentHashes take(Path file, Set<DigestAlgorithm> wanted) throws InterruptedException {
        if (this == NONE || !digests.containsAll(wanted)) {
            return null;
        }
        Pending p = pending.putIfAbsent(file, TAKEN);
        if (p == null || p == TAKEN) {
            return null;
        }
        pending.put(file, TAKEN);
        ContentHashes hashes;
        try {
            hashes = p.hashes().get();
        } catch (ExecutionException e) {
            return null;
        }
        if (hashes == null || !unchanged(p.before(), file)) {
            return null;
        }
        return hashes;
    }

    /** Whether {@code file} has been read ahead completely and not handed over yet. */
    boolean finished(Path file) {
        Pending p = pending.get(file);
        return p != null && p != TAKEN && p.hashes().isDone();
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean unchanged(BasicFileAttributes before, Path file) {
        BasicFileAttributes now = attributes(file);
        return now != null && now.size() == before.size()
                && now.lastModifiedTime().equals(before.lastModifiedTime())
                && Objects.equals(now.fileKey(), before.fileKey());
    }

    private static BasicFileAttributes attributes(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a : null;
        } catch (IOException e) {
            return null;
        }
    }
}
