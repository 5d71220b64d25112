package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Deep signing: for a ZIP, JAR/WAR/EAR, NuGet or APPX/MSIX container, signs the files inside that carry embedded
 * signatures (Windows executables and friends, JARs) and the containers nested inside it, deepest first, adds detached
 * signatures for the inner files {@link InnerSelection#detaches selected} for them, repacks the container with every
 * other entry byte-identical (an APPX/MSIX package with its block map restated, {@link AppxRepack}), and then signs
 * the container itself as {@link ArtifactSigner} would (JAR, NuGet and
 * APPX/MSIX embedded; a plain ZIP detached). Files that are not containers are signed as {@link ArtifactSigner} signs
 * them.
 *
 * <p>The container passes {@link ZipPreflight#checkArchive} (and so does every nested one) before anything is written.
 * Inner files are extracted one at a time into a private directory beside the artifact and signed, verified and
 * streamed into the new archive there; so the temporary space is about the container's size. The artifact is
 * replaced only once the new container is complete and its own signature verified; if any inner file fails, the
 * whole container fails, untouched, naming that file.
 */
public final class DeepSigner {

    private static final String INSIDE = "!/";

    private final SigningKey key;
    private final SigningOptions options;
    private final InnerSelection selection;
    private final ArtifactSigner outer;
    /** One signer per inner format, shared by the threads of {@link #signAll}. */
    private final Map<Format, ArtifactSigner> inner = new ConcurrentHashMap<>();
    private final Set<Path> sweptDirectories = ConcurrentHashMap.newKeySet();

    public DeepSigner(SigningKey key, SigningOptions options, InnerSelection selection) {
        this.key = key;
        this.options = options;
        this.selection = selection;
        this.outer = new ArtifactSigner(key, options);
    }

    /** Like {@link ArtifactSigner#signAll(List, int, Consumer)}, deep. */
    public List<ReportEntry> signAll(List<ArtifactSigner.Artifact> artifacts, int threads,
            Consumer<List<ReportEntry>> progress) throws InterruptedException {
        return ArtifactSigner.signAll(artifacts, threads, progress, this::sign);
    }

    /** One entry per inner file signed and per format the artifact itself is signed in; the artifact's come last. */
    public List<ReportEntry> sign(Path file, String displayPath) {
        long start = System.nanoTime();
        ContainerKind kind;
        try {
            kind = Files.isRegularFile(file) ? ContainerKind.of(file) : null;
        } catch (IOException e) {
            kind = null;
        }
        if (kind == null) {
            return outer.sign(file, displayPath);
        }
        List<ReportEntry> entries = new ArrayList<>();
        Path work = null;
        try {
            ZipPreflight.checkArchive(file, displayPath, kind.caseInsensitiveNames());
            long size = Files.size(file);
            String before = ContentHashes.sha256Hex(file);
            Path absolute = file.toAbsolutePath();
            sweep(absolute.getParent());
            work = Files.createTempDirectory(absolute.resolveSibling(""), AtomicFiles.WORK_DIRECTORY_PREFIX);
            Path copy = Files.createDirectories(work.resolve("container")).resolve(String.valueOf(
                    absolute.getFileName()));
            List<String> notes = new ArrayList<>();
            Work job = new Work(work, entries, notes);
            if (!repack(file, copy, displayPath, kind, 1, job)) {
                Files.deleteIfExists(copy);
                Files.copy(file, copy);
            }
            List<ReportEntry> own = outer.sign(copy, displayPath);
            for (ReportEntry entry : own) {
                entries.add(entry.failed() ? entry : Amend.as(entry, size, before, notes));
            }
            if (own.stream().noneMatch(ReportEntry::failed)) {
                AtomicFiles.replace(copy, file);
                moveSignatureFiles(copy, file);
            }
        } catch (SigningException e) {
            entries.add(ReportEntry.failure(ReportEntry.SIGN, displayPath, null, Failure.of(e.kind()),
                    Reasons.sentence(e.getMessage()), millisSince(start)));
        } catch (IOException | RuntimeException e) {
            entries.add(ReportEntry.failure(ReportEntry.SIGN, displayPath, null, Failure.INPUT_ERROR,
                    "The container " + displayPath + " could not be deep-signed (" + Reasons.detail(e)
                            + "); it was left untouched.", millisSince(start)));
        } finally {
            if (work != null) {
                AtomicFiles.deleteTree(work);
            }
        }
        return entries;
    }

    /** The temporary directory of one container, its report entries and the notes for its own entry. */
    private static final class Work {
        final Path directory;
        final List<ReportEntry> entries;
        final List<String> notes;
        int next;

        Work(Path directory, List<ReportEntry> entries, List<String> notes) {
            this.directory = directory;
            this.entries = entries;
            this.notes = notes;
        }

        Path freshDirectory() throws IOException {
            return Files.createDirectory(directory.resolve(Integer.toString(next++)));
        }
    }

    /**
     * Writes {@code target}: {@code source} with its selected inner files signed. Returns whether anything changed
     * (when nothing did, the caller keeps {@code source} as it is).
     */
    private boolean repack(Path source, Path target, String displayPath, ContainerKind kind, int depth, Work work)
            throws IOException, SigningException {
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
            ZipLayout layout = ZipLayout.read(channel, displayPath);
            Set<String> names = new HashSet<>();
            layout.entries().forEach(e -> names.add(e.name()));
            String untouchable = kind.untouchable(names, options.replaceSignatures());
            if (untouchable != null) {
                work.notes.add("The files inside " + displayPath + " were not signed: " + untouchable + ".");
                return false;
            }
            if (kind == ContainerKind.APPX) {
                return repackAppx(channel, layout, target, displayPath, depth, work);
            }
            Set<String> staleSignatures = new HashSet<>();
            for (String name : names) {
                if (selection.selects(name) && selection.detaches(name)) {
                    staleSignatures.add(name + Format.CMS.extension());
                }
            }
            if (!Files.exists(target)) {
                Files.createFile(target);
            }
            boolean changed = false;
            try (ZipRewriter writer = new ZipRewriter(channel, target)) {
                writer.copyPrefix(layout.prefixEnd());
                for (ZipLayout.Entry entry : layout.entries()) {
                    if (staleSignatures.contains(entry.name())) {
                        changed = true;
                        continue;
                    }
                    Signed signed = entry.directory() || !selection.selects(entry.name())
                            || Formats.isSignatureFile(entry.name()) ? Signed.NOTHING
                            : signInner(channel, entry, displayPath + INSIDE + entry.name(), depth, work, true);
                    if (signed.content() != null) {
                        writer.replace(entry, signed.content());
                        changed = true;
                    } else {
                        writer.copy(entry);
                    }
                    if (signed.signature() != null) {
                        writer.add(entry.name() + Format.CMS.extension(), signed.signature(), entry);
                        changed = true;
                    }
                }
                writer.finish(layout);
            }
            if (changed) {
                ZipPreflight.checkArchive(target, displayPath, kind.caseInsensitiveNames());
            }
            return changed;
        }
    }

    /**
     * An APPX/MSIX package: its inner files signed, its block map rewritten ({@link AppxRepack}); the result must
     * match its block map before the package is signed again.
     */
    private boolean repackAppx(FileChannel channel, ZipLayout layout, Path target, String displayPath, int depth,
            Work work) throws IOException, SigningException {
        if (layout.entries().stream().anyMatch(e -> selection.selects(e.name()) && selection.detaches(e.name()))) {
            work.notes.add("No detached signatures were added inside " + displayPath + ": an APPX/MSIX package may "
                    + "only hold the files its block map and content types list.");
        }
        boolean changed = AppxRepack.repack(channel, layout, target, work.freshDirectory(), displayPath,
                entry -> !selection.selects(entry.name()) || Formats.isSignatureFile(entry.name()) ? Signed.NOTHING
                        : signInner(channel, entry, displayPath + INSIDE + entry.name(), depth, work, false));
        if (changed) {
            ZipPreflight.checkArchive(target, displayPath, true);
            String mismatch = AppxBlockCheck.mismatch(target, displayPath, work.freshDirectory());
            if (mismatch != null) {
                throw new IOException("after repacking, " + mismatch);
            }
        }
        return changed;
    }

    /** What became of an inner file: its new content, if it changed, and its detached signature, if it got one. */
    record Signed(Path content, Path signature) {
        static final Signed NOTHING = new Signed(null, null);
    }

    private Signed signInner(FileChannel channel, ZipLayout.Entry entry, String innerPath, int depth, Work work,
            boolean detach) throws IOException, SigningException {
        Path dir = work.freshDirectory();
        Path extracted = dir.resolve(ZipLayout.baseName(entry.name()));
        ZipRewriter.extract(channel, entry, extracted);
        Path content = null;
        ContainerKind nested = depth < InnerSelection.MAX_DEPTH ? ContainerKind.of(extracted) : null;
        if (nested != null) {
            ZipPreflight.checkArchive(extracted, innerPath, nested.caseInsensitiveNames());
            Path repacked = Files.createDirectory(dir.resolve("repacked")).resolve(extracted.getFileName());
            Path current = repack(extracted, repacked, innerPath, nested, depth + 1, work) ? repacked : extracted;
            if (nested.ownFormat() != null) {
                signWith(nested.ownFormat(), current, innerPath, work);
                content = current;
            } else if (current == repacked) {
                content = repacked;
            }
        } else {
            EmbeddedFormat format = Formats.signedByDefault(extracted);
            if (format != null) {
                signWith(format.format(), extracted, innerPath, work);
                content = extracted;
            } else {
                refuseDamaged(extracted, innerPath, work);
            }
        }
        Path signature = null;
        if (detach && selection.detaches(entry.name())) {
            Path signed = content != null ? content : extracted;
            signWith(Format.CMS, signed, innerPath, work);
            signature = signed.resolveSibling(signed.getFileName() + Format.CMS.extension());
        }
        return new Signed(content, signature);
    }

    /** Signs an inner file in one format; a failure fails the container and names the inner file. */
    private void signWith(Format format, Path file, String innerPath, Work work) throws SigningException {
        ArtifactSigner signer = inner.computeIfAbsent(format, f -> new ArtifactSigner(key,
                options.formats(EnumSet.of(f)).outputDirectory(null)));
        List<ReportEntry> result = signer.sign(file, innerPath);
        work.entries.addAll(result);
        for (ReportEntry entry : result) {
            if (entry.failed()) {
                throw insideFailure(innerPath, entry.reason());
            }
        }
    }

    /** An inner file that claims a signed kind (a DOS header, say) but is damaged fails as it would outside. */
    private static void refuseDamaged(Path file, String innerPath, Work work) throws IOException, SigningException {
        try {
            Formats.refuseDamaged(file, innerPath);
        } catch (SigningException e) {
            work.entries.add(ReportEntry.failure(ReportEntry.SIGN, innerPath, null, Failure.of(e.kind()),
                    Reasons.sentence(e.getMessage()), 0));
            throw insideFailure(innerPath, e.getMessage());
        }
    }

    private static SigningException insideFailure(String innerPath, String reason) {
        String container = innerPath.substring(0, innerPath.indexOf(INSIDE));
        return new SigningException(Kind.INPUT, "The container " + container + " was left untouched because its "
                + "inner file " + innerPath + " could not be signed: " + reason);
    }

    /**
     * Removes, once per directory, what runs killed while deep signing left beside the artifacts: working directories
     * ({@code .hsmsign-deep-*}) and temporary copies older than {@link AtomicFiles#STALE_AFTER}.
     */
    private void sweep(Path dir) {
        if (dir != null && sweptDirectories.add(dir)) {
            AtomicFiles.removeStale(dir, AtomicFiles.STALE_AFTER);
        }
    }

    /** Detached signatures of the container went beside the copy; they belong beside the artifact. */
    private void moveSignatureFiles(Path copy, Path file) throws IOException {
        if (options.outputDirectory() != null) {
            return;
        }
        for (Format format : Format.values()) {
            if (format.detached()) {
                Path signature = copy.resolveSibling(copy.getFileName() + format.extension());
                if (Files.exists(signature)) {
                    Files.move(signature, file.resolveSibling(file.getFileName() + format.extension()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }


    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
