package io.jenkins.plugins.hsmsigning.engine;

import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.DetachedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SignedResult;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.inplace.InPlaceSigner;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.prehash.Prehash;
import io.jenkins.plugins.hsmsigning.engine.publication.SignerPath;
import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Signs artifacts with one opened key: embedded formats first (into a copy that is verified, then moved over the
 * artifact), then every detached format from a single read of the result. A problem with one artifact becomes a
 * FAILED report entry naming it; the others still get signed.
 *
 * <p>Before an embedded format touches a file, the file must not be empty and must pass the format's
 * {@link EmbeddedFormat#checkStructure structure check} (PE and CAB layout, ZIP pre-flight with compression-bomb
 * limits); a library that throws on a hostile file instead of reporting it still yields one sentence. A run killed
 * while signing in place leaves the artifact intact and, at worst, its temporary copy ({@code .hsmsign-*.tmp}); the
 * first artifact a signer signs in a directory removes such copies older than {@link AtomicFiles#STALE_AFTER}.
 */
public final class ArtifactSigner {

    /** An artifact on disk and the path users know it by (relative to the build's artifacts, say). */
    public record Artifact(Path file, String displayPath) {
    }

    private final SigningKey key;
    private final SigningOptions options;
    private final Prehash prehash;
    private final Timestamper timestamper;
    private final Set<Path> sweptDirectories = ConcurrentHashMap.newKeySet();
    /** Why customers could not build a path to the trust anchors from what the signatures embed; null if they can. */
    private final String pathProblem;
    /** Said on every signed entry: chain file certificates that are not on the signer's path. */
    private final List<String> setupWarnings;
    /** The key's certificate and chain as every report entry names them, worked out once rather than per artifact. */
    private final SignerDetails signer;
    private final List<CertificateDetails> chainDetails;

    public ArtifactSigner(SigningKey key, SigningOptions options) {
        this(key, options, null);
    }

    /**
     * A signer that takes the hashes {@code prehash} read while the key was opening, instead of reading those
     * artifacts again; it stops {@code prehash} from starting more (the key is open now).
     */
    public ArtifactSigner(SigningKey key, SigningOptions options, Prehash prehash) {
        this.key = key;
        this.prehash = prehash;
        if (prehash != null) {
            prehash.stop();
        }
        this.options = options;
        this.timestamper = new Timestamper(options.timestamps());
        this.signer = SignerDetails.of(key.certificate());
        this.chainDetails = CertificateDetails.of(key.chain());
        this.pathProblem = options.trustAnchors().isEmpty() ? null
                : SignerPath.problem(key.chain(), options.trustAnchors());
        List<String> unused = SignerPath.unused(key.chain(), options.chainFile());
        this.setupWarnings = unused.isEmpty() ? List.of() : List.of("the certificate chain holds "
                + String.join("; ", unused) + ", which " + (unused.size() == 1 ? "is" : "are") + " not on the "
                + "signer's path and so not embedded in the signatures");
    }

    /** Signs several artifacts, {@code threads} at a time, so that hashing one overlaps the token signing another. */
    public List<ReportEntry> signAll(List<Artifact> artifacts, int threads) throws InterruptedException {
        return signAll(artifacts, threads, entries -> { });
    }

    /**
     * Like {@link #signAll(List, int)}, telling {@code progress} about each artifact as soon as it is done (from the
     * signing threads, one artifact at a time), so that front-ends can print a line per artifact as it happens.
     */
    public List<ReportEntry> signAll(List<Artifact> artifacts, int threads, Consumer<List<ReportEntry>> progress)
            throws InterruptedException {
        return signAll(artifacts, threads, progress, this::sign);
    }

    /** What signs one artifact: {@link #sign}, or deep signing's, which opens containers first. */
    @FunctionalInterface
    public interface OneArtifact {
        List<ReportEntry> sign(Path file, String displayPath);
    }

    /** {@link #signAll(List, int, Consumer)} with another way of signing each artifact. */
    public static List<ReportEntry> signAll(List<Artifact> artifacts, int threads,
            Consumer<List<ReportEntry>> progress, OneArtifact signer) throws InterruptedException {
        if (artifacts.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, artifacts.size())));
        try {
            List<Future<List<ReportEntry>>> futures = new ArrayList<>();
            for (Artifact a : artifacts) {
                futures.add(pool.submit(() -> {
                    List<ReportEntry> entries = signer.sign(a.file(), a.displayPath());
                    synchronized (progress) {
                        progress.accept(entries);
                    }
                    return entries;
                }));
            }
            List<ReportEntry> entries = new ArrayList<>();
            for (Future<List<ReportEntry>> f : futures) {
                try {
                    entries.addAll(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("signing an artifact threw unexpectedly", e.getCause());
                }
            }
            return entries;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Signs one artifact in every format that applies to it; one report entry per format. */
    public List<ReportEntry> sign(Path file, String displayPath) {
        List<ReportEntry> entries = new ArrayList<>();
        long start = System.nanoTime();
        List<Format> formats;
        try {
            if (!Files.isRegularFile(file)) {
                throw new SigningException(SigningException.Kind.INPUT, "The artifact " + displayPath
                        + " does not exist or is not a regular file.");
            }
            removeStaleTemporaryFiles(file);
            formats = Formats.resolve(file, displayPath, options.formats(), options.autoFormat());
            if (pathProblem != null && formats.stream().anyMatch(f -> f != Format.PGP)) {
                throw unverifiable(displayPath);
            }
        } catch (SigningException e) {
            entries.add(failure(displayPath, null, e, start));
            return entries;
        } catch (IOException e) {
            entries.add(failure(displayPath, null, unreadable(displayPath, e), start));
            return entries;
        } catch (RuntimeException e) {
            entries.add(failure(displayPath, null, malformed(displayPath, e), start));
            return entries;
        }
        List<Format> detached = new ArrayList<>();
        for (Format format : formats) {
            if (format.detached()) {
                detached.add(format);
                continue;
            }
            long formatStart = System.nanoTime();
            try {
                entries.add(signEmbedded(Formats.embedded(format), file, displayPath, formatStart));
            } catch (SigningException e) {
                entries.add(failure(displayPath, format, e, formatStart));
                return entries;
            }
        }
        if (!detached.isEmpty()) {
            entries.addAll(signDetached(detached, file, displayPath));
        }
        return entries;
    }

    private ReportEntry signEmbedded(EmbeddedFormat format, Path file, String displayPath, long start)
            throws SigningException {
        Path temp = null;
        try {
            if (Files.size(file) == 0) {
                throw new SigningException(SigningException.Kind.INPUT, "The artifact " + displayPath + " is empty (0 "
                        + "bytes), so there is nothing to sign; it was left untouched.");
            }
            if (!format.recognizes(file)) {
                Formats.refuseDamaged(file, displayPath);
                throw new SigningException(SigningException.Kind.INPUT, "The artifact " + displayPath + " is not a file "
                        + format.format().id() + " can sign; it was left untouched.");
            }
            format.checkStructure(file, displayPath);
            long size = Files.size(file);
            temp = AtomicFiles.tempBeside(file);
            String before = format.signsCopyInPlace() ? null : ContentHashes.sha256Hex(file);
            SignedResult result = format.sign(key, options, timestamper, file, temp, displayPath);
            if (before == null) {
                before = result.sourceSha256();
            }
            checkSignedCopy(format, temp, displayPath);
            AtomicFiles.replace(temp, file);
            temp = null;
            String after = ContentHashes.sha256Hex(file);
            return new ReportEntry(ReportEntry.SIGN, displayPath, size, before, after, format.format().id(), null,
                    signer, key.description(), result.algorithm().digest().jcaName(),
                    result.algorithm().jcaName(), result.timestamp(), millisSince(start), Status.SIGNED, null, null,
                    withSetupWarnings(result.warnings()), chainDetails);
        } catch (IOException e) {
            throw unreadable(displayPath, e);
        } catch (RuntimeException e) {
            throw malformed(displayPath, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Removes, once per directory and signer, the temporary copies that runs killed while signing in place left
     * beside the artifacts ({@code .hsmsign-*.tmp} older than {@link AtomicFiles#STALE_AFTER}).
     */
    private void removeStaleTemporaryFiles(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && sweptDirectories.add(dir)) {
            AtomicFiles.removeStale(dir, AtomicFiles.STALE_AFTER);
        }
    }

    /** A library that threw on a hostile file instead of reporting it: one sentence, no class names. */
    private static SigningException malformed(String displayPath, RuntimeException e) {
        return new SigningException(SigningException.Kind.INPUT, "The artifact " + displayPath + " is malformed ("
                + Reasons.detail(e) + "); it was left untouched.", e);
    }

    /** The signed copy must verify before it replaces the artifact; trust is not the question here, integrity is. */
    private void checkSignedCopy(EmbeddedFormat format, Path signed, String displayPath) throws SigningException {
        List<VerificationOutcome> outcomes = format.verify(signed, displayPath, VerificationOptions.inspection());
        for (VerificationOutcome outcome : outcomes) {
            if (outcome.valid() && outcome.signer() != null
                    && outcome.signer().equals(signer)) {
                return;
            }
        }
        String reason = outcomes.isEmpty() ? "it carries no signature" : outcomes.get(0).reason();
        throw new SigningException(SigningException.Kind.INPUT, "The signed copy of " + displayPath
                + " did not verify (" + reason + "); the artifact was left untouched.");
    }

    /**
     * Whether every artifact gets detached signatures only (no "auto", no embedded format), so that a read of it is
     * all signing needs: nothing is rewritten, so nothing needs a copy ({@link InPlaceSigner}).
     */
    public boolean detachedOnly() {
        return !options.autoFormat() && !options.formats().isEmpty()
                && options.formats().stream().allMatch(Format::detached);
    }

    /** Reads an artifact once for what {@link #signRead} needs. */
    public ContentHashes read(InputStream in) throws IOException {
        return ContentHashes.of(in, Set.of(options.digest()));
    }

    /**
     * Signs an artifact {@link #detachedOnly() in detached formats only} from {@code content}, a read of it made
     * elsewhere; the signature files go beside {@code beside}, which need not exist.
     */
    public List<ReportEntry> signRead(ContentHashes content, Path beside, String displayPath, long readMillis) {
        List<Format> formats = options.formats().stream().filter(Format::detached).sorted().toList();
        if (pathProblem != null && formats.stream().anyMatch(f -> f != Format.PGP)) {
            return List.of(failure(displayPath, null, unverifiable(displayPath), System.nanoTime()));
        }
        return signDetached(formats, content, beside, displayPath, readMillis);
    }

    private SigningException unverifiable(String displayPath) {
        return new SigningException(SigningException.Kind.CONFIGURATION, "The artifact " + displayPath
                + " was not signed: customers could not verify its signature against the trust anchors, because "
                + pathProblem + ".");
    }

    private List<ReportEntry> signDetached(List<Format> formats, Path file, String displayPath) {
        long readStart = System.nanoTime();
        ContentHashes content;
        try {
            content = prehashed(file);
            if (content == null) {
                content = ContentHashes.of(file, Set.of(options.digest()));
            }
        } catch (IOException e) {
            List<ReportEntry> entries = new ArrayList<>();
            for (Format format : formats) {
                entries.add(failure(displayPath, format, unreadable(displayPath, e), readStart));
            }
            return entries;
        }
        return signDetached(formats, content, file, displayPath, millisSince(readStart));
    }

    private List<ReportEntry> signDetached(List<Format> formats, ContentHashes content, Path file, String displayPath,
            long readMillis) {
        List<ReportEntry> entries = new ArrayList<>();
        for (Format format : formats) {
            long start = System.nanoTime();
            try {
                DetachedFormat detached = Formats.detached(format);
                SignedResult result = detached.sign(key, options, timestamper, content, displayPath);
                Path signatureFile = signatureFileFor(file, displayPath, format);
                AtomicFiles.write(signatureFile, result.signatureFile());
                entries.add(new ReportEntry(ReportEntry.SIGN, displayPath, content.size(), content.sha256Hex(),
                        content.sha256Hex(), format.id(), signatureDisplayPath(signatureFile, displayPath, format),
                        signer, key.description(), result.algorithm().digest().jcaName(),
                        result.algorithm().jcaName(), result.timestamp(), readMillis + millisSince(start),
                        Status.SIGNED, null, null, withSetupWarnings(result.warnings()),
                        chainDetails));
            } catch (SigningException e) {
                entries.add(failure(displayPath, format, e, start));
            } catch (IOException e) {
                entries.add(failure(displayPath, format, new SigningException(SigningException.Kind.INPUT,
                        "The signature file for " + displayPath + " cannot be written: " + e.getMessage() + ".", e),
                        start));
            }
        }
        return entries;
    }

    private ContentHashes prehashed(Path file) throws IOException {
        if (prehash == null) {
            return null;
        }
        try {
            return prehash.take(file, Set.of(options.digest()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the hash read ahead");
        }
    }

    private List<String> withSetupWarnings(List<String> warnings) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(setupWarnings);
        return all;
    }

    /** Beside the artifact, or under the output directory at the artifact's display path. */
    public Path signatureFileFor(Path file, String displayPath, Format format) throws SigningException {
        if (options.outputDirectory() == null) {
            return file.resolveSibling(file.getFileName() + format.extension());
        }
        Path base = options.outputDirectory().toAbsolutePath().normalize();
        Path target = base.resolve(displayPath + format.extension()).normalize();
        if (!target.startsWith(base)) {
            throw new SigningException(SigningException.Kind.INPUT, "The artifact path " + displayPath
                    + " leads outside the output directory " + base + ".");
        }
        return target;
    }

    /** Beside the artifact: its display path with the extension; in an output directory: where it really is. */
    private String signatureDisplayPath(Path signatureFile, String displayPath, Format format) {
        return options.outputDirectory() == null ? displayPath + format.extension() : signatureFile.toString();
    }

    private ReportEntry failure(String displayPath, Format format, SigningException e, long start) {
        return ReportEntry.failure(ReportEntry.SIGN, displayPath, format == null ? null : format.id(),
                Failure.of(e.kind()), Reasons.sentence(e.getMessage()), millisSince(start));
    }

    private static SigningException unreadable(String displayPath, IOException e) {
        return new SigningException(SigningException.Kind.INPUT, "The artifact " + displayPath + " cannot be read or "
                + "written: " + Reasons.detail(e) + ".", e);
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a leftover temporary file is named .hsmsign-*.tmp and harmless
            }
        }
    }
}
