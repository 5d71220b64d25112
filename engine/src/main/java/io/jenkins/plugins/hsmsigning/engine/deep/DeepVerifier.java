package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep verification: the signatures of the selected files inside a container (embedded ones, and detached
 * {@code .p7s} entries beside them), of the containers nested in it, and then the container's own, one report entry
 * each ({@code dist/app.zip!/bin/app.exe}). An inner file of a kind that carries an embedded signature but has none is
 * a failure; other inner files are not reported. Inner files are extracted one at a time into a private temporary
 * directory after the container passed {@link ZipPreflight#checkArchive}; the container is never written.
 */
public final class DeepVerifier {

    private static final String INSIDE = "!/";

    private final Verifier outer;
    private final Verifier inner;
    private final InnerSelection selection;

    public DeepVerifier(VerificationOptions options, InnerSelection selection) {
        this.outer = new Verifier(options);
        this.inner = new Verifier(options.withSignatureDirectory(null));
        this.selection = selection;
    }

    public List<ReportEntry> verify(Path file, String displayPath) {
        long start = System.nanoTime();
        List<ReportEntry> entries = new ArrayList<>();
        Path work = null;
        try {
            ContainerKind kind = Files.isRegularFile(file) ? ContainerKind.of(file) : null;
            if (kind != null) {
                ZipPreflight.checkArchive(file, displayPath, kind.caseInsensitiveNames());
                work = Files.createTempDirectory("hsmsign-deep-");
                walk(file, displayPath, kind, 1, new Counter(work), entries);
            }
        } catch (SigningException e) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.MALFORMED,
                    Reasons.sentence(e.getMessage()), millisSince(start)));
        } catch (IOException | RuntimeException e) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.INPUT_ERROR,
                    "The files inside " + displayPath + " cannot be read (" + Reasons.detail(e) + ").",
                    millisSince(start)));
        } finally {
            if (work != null) {
                AtomicFiles.deleteTree(work);
            }
        }
        entries.addAll(outer.verify(file, displayPath));
        return entries;
    }

    private static final class Counter {
        final Path directory;
        int next;

        Counter(Path directory) {
            this.directory = directory;
        }

        Path freshDirectory() throws IOException {
            return Files.createDirectory(directory.resolve(Integer.toString(next++)));
        }
    }

    private void walk(Path container, String displayPath, ContainerKind kind, int depth, Counter work,
            List<ReportEntry> entries) throws IOException, SigningException {
        try (FileChannel channel = FileChannel.open(container, StandardOpenOption.READ)) {
            ZipLayout layout = ZipLayout.read(channel, displayPath);
            Map<String, ZipLayout.Entry> byName = new HashMap<>();
            layout.entries().forEach(e -> byName.put(e.name(), e));
            if (kind == ContainerKind.APPX) {
                if (ContainerKind.isAppxBundle(byName.keySet())) {
                    return;
                }
                checkBlockMap(container, displayPath, work, entries);
            }
            for (ZipLayout.Entry entry : layout.entries()) {
                if (entry.directory() || !selection.selects(entry.name()) || Formats.isSignatureFile(entry.name())) {
                    continue;
                }
                String innerPath = displayPath + INSIDE + entry.name();
                Path dir = work.freshDirectory();
                Path extracted = dir.resolve(ZipLayout.baseName(entry.name()));
                ZipRewriter.extract(channel, entry, extracted);
                ZipLayout.Entry detached = byName.get(entry.name() + Format.CMS.extension());
                if (detached != null) {
                    ZipRewriter.extract(channel, detached, extracted.resolveSibling(extracted.getFileName()
                            + Format.CMS.extension()));
                }
                ContainerKind nested = depth < InnerSelection.MAX_DEPTH ? ContainerKind.of(extracted) : null;
                if (nested != null) {
                    ZipPreflight.checkArchive(extracted, innerPath, nested.caseInsensitiveNames());
                    walk(extracted, innerPath, nested, depth + 1, work, entries);
                }
                boolean signable = nested != null ? nested.ownFormat() != null
                        : Formats.signedByDefault(extracted) != null;
                if (signable || detached != null) {
                    entries.addAll(inner.verify(extracted, innerPath));
                }
                AtomicFiles.deleteTree(dir);
            }
        }
    }

    /**
     * The package signature covers only the block map, so an APPX/MSIX package whose files differ from what its block
     * map states fails, whatever its signature says.
     */
    private static void checkBlockMap(Path appx, String displayPath, Counter work, List<ReportEntry> entries)
            throws IOException, SigningException {
        Path dir = work.freshDirectory();
        String mismatch = AppxBlockCheck.mismatch(appx, displayPath, dir);
        AtomicFiles.deleteTree(dir);
        if (mismatch != null) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.CONTENT_MODIFIED,
                    "The files of " + displayPath + " are not those its block map states: " + mismatch + ".", 0));
        }
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
