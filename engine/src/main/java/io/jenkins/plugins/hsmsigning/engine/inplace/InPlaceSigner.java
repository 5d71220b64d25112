package io.jenkins.plugins.hsmsigning.engine.inplace;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.ArtifactPaths;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Signs the artifacts of an {@link ArtifactStore} without copying them all first. An artifact that gets detached
 * signatures only is read once from the store and its signature files are written into a directory of its own; an
 * artifact that may change (an embedded format, "auto", deep signing) is copied into such a directory, hashed while
 * copied, and signed there. Either way the {@link ReadCheck} sees the SHA-256 of the very bytes signed. Once an
 * artifact is done its entries go to the progress consumer (which audits them), then its results are published, and
 * its directory is deleted: the temporary space is that of the artifacts being signed at that moment, one per thread.
 */
public final class InPlaceSigner {

    private final ArtifactStore store;
    private final Path work;
    private final ReadCheck check;

    /** {@code work}: an empty directory only this signer writes to, for one directory per artifact in progress. */
    public InPlaceSigner(ArtifactStore store, Path work, ReadCheck check) {
        this.store = store;
        this.work = work;
        this.check = check;
    }

    /** Signs with {@code signer}: from one read when it {@link ArtifactSigner#detachedOnly signs detached only}. */
    public List<ReportEntry> signAll(List<String> paths, int threads, Consumer<List<ReportEntry>> progress,
            ArtifactSigner signer) throws IOException, InterruptedException {
        if (signer.detachedOnly()) {
            return run(paths, threads, progress, (path, local) -> {
                long start = System.nanoTime();
                ContentHashes content;
                try (InputStream in = store.open(path)) {
                    content = signer.read(in);
                }
                check.check(path, content.sha256Hex());
                return signer.signRead(content, local, path, (System.nanoTime() - start) / 1_000_000);
            });
        }
        return signAll(paths, threads, progress, signer::sign);
    }

    /** Signs a copy of each artifact with {@code onCopy} (deep signing's, say), which may rewrite it. */
    public List<ReportEntry> signAll(List<String> paths, int threads, Consumer<List<ReportEntry>> progress,
            ArtifactSigner.OneArtifact onCopy) throws IOException, InterruptedException {
        return run(paths, threads, progress, (path, local) -> {
            String sha256;
            try (InputStream in = store.open(path)) {
                sha256 = copy(in, local);
            }
            check.check(path, sha256);
            return onCopy.sign(local, path);
        });
    }

    /** Signs one artifact; {@code local} is where its copy or signature files go, in a directory of its own. */
    @FunctionalInterface
    private interface Signing {
        List<ReportEntry> sign(String path, Path local) throws IOException, SigningException;
    }

    private List<ReportEntry> run(List<String> paths, int threads, Consumer<List<ReportEntry>> progress,
            Signing signing) throws IOException, InterruptedException {
        if (paths.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, paths.size())));
        try {
            List<Future<List<ReportEntry>>> futures = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> signOne(index, paths.get(index), progress, signing)));
            }
            List<ReportEntry> entries = new ArrayList<>();
            for (Future<List<ReportEntry>> f : futures) {
                try {
                    entries.addAll(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof InterruptedException interrupted) {
                        throw interrupted;
                    }
                    throw new IllegalStateException("signing an artifact threw unexpectedly", e.getCause());
                }
            }
            return entries;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<ReportEntry> signOne(int index, String path, Consumer<List<ReportEntry>> progress, Signing signing)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path dir = Files.createDirectory(work.resolve(Integer.toString(index)));
        try {
            Path local = null;
            List<ReportEntry> entries;
            try {
                local = ArtifactPaths.resolveWithin(dir, fileName(path));
                entries = signing.sign(path, local);
            } catch (SigningException e) {
                entries = List.of(failure(path, Failure.of(e.kind()), e.getMessage(), start));
            } catch (IOException e) {
                entries = List.of(failure(path, Failure.INPUT_ERROR, "The artifact " + path + " cannot be read: "
                        + Reasons.detail(e) + "; it was not signed.", start));
            }
            synchronized (progress) {
                progress.accept(entries);
                Map<String, String> files = local == null ? Map.of() : results(path, fileName(path), entries);
                if (!files.isEmpty()) {
                    try {
                        store.publish(path, dir, files);
                    } catch (IOException e) {
                        entries = notPublished(entries, path, e);
                    }
                }
            }
            return entries;
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    /**
     * What to publish of one artifact ({@link SigningSummary#changedFiles}), stored path to file name in its
     * directory ({@code name}, its copy or where its signature files go beside): the artifact itself when a signature
     * rewrote it, and the detached signature files.
     */
    private static Map<String, String> results(String path, String name, List<ReportEntry> entries) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String stored : SigningSummary.changedFiles(entries, List.of(path)).keySet()) {
            files.put(stored, stored.equals(path) ? name : name + stored.substring(path.length()));
        }
        return files;
    }

    private static List<ReportEntry> notPublished(List<ReportEntry> entries, String path, IOException e) {
        return entries.stream().map(entry -> entry.failed() ? entry : entry.failedWith(Failure.INPUT_ERROR,
                "Signed, but not published: the results for " + path + " could not be stored ("
                        + Reasons.detail(e) + ").")).toList();
    }

    /** Copies {@code in} to {@code target} and returns the SHA-256 (hex) of the bytes copied. */
    private static String copy(InputStream in, Path target) throws IOException {
        MessageDigest sha256 = DigestAlgorithm.SHA256.newDigest();
        try (DigestInputStream hashing = new DigestInputStream(in, sha256)) {
            Files.copy(hashing, target);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static ReportEntry failure(String path, Failure failure, String reason, long start) {
        return ReportEntry.failure(ReportEntry.SIGN, path, null, failure, Reasons.sentence(reason),
                (System.nanoTime() - start) / 1_000_000);
    }
}
