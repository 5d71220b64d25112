package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.deep.DeepVerifier;
import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;
import io.jenkins.plugins.hsmsigning.engine.io.ArtifactPaths;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Verifies the files of a directory that a pattern matched (a build's workspace on an agent, or archived artifacts
 * copied to the controller), each with every signature it carries or has beside it. Signature files are verified with
 * their artifacts, never on their own; a path that leads out of the directory is a failure, not a read.
 */
public final class DirectoryVerifier {

    private DirectoryVerifier() {
    }

    /**
     * Entries for the selected {@code matches} (relative, slash-separated), in path order; {@code progress} hears of
     * each artifact as soon as it is done.
     */
    public static List<ReportEntry> verify(Path directory, Collection<String> matches, VerificationOptions options,
            Consumer<List<ReportEntry>> progress) {
        return verify(directory, matches, options, progress, null);
    }

    /**
     * Like {@link #verify(Path, Collection, VerificationOptions, Consumer)}; with {@code deep} (null: not deep), the
     * selected files inside containers are verified too ({@link DeepVerifier}), each as its own entry
     * ({@code dist/app.zip!/bin/app.exe}).
     */
    public static List<ReportEntry> verify(Path directory, Collection<String> matches, VerificationOptions options,
            Consumer<List<ReportEntry>> progress, InnerSelection deep) {
        Verifier verifier = new Verifier(options);
        DeepVerifier deepVerifier = deep == null ? null : new DeepVerifier(options, deep);
        List<ReportEntry> entries = new ArrayList<>();
        for (String path : ArtifactSelection.select(matches, Set.of())) {
            List<ReportEntry> one;
            try {
                Path file = ArtifactPaths.resolveWithin(directory, path);
                one = deepVerifier == null ? verifier.verify(file, path) : deepVerifier.verify(file, path);
            } catch (SigningException e) {
                one = List.of(ReportEntry.failure(ReportEntry.VERIFY, path, null, Failure.of(e.kind()),
                        e.getMessage(), 0));
            }
            progress.accept(one);
            entries.addAll(one);
        }
        return entries;
    }

    /** Like {@link #verify(Path, Collection, VerificationOptions, Consumer)}, with trust given as text. */
    public static List<ReportEntry> verify(Path directory, Collection<String> matches, TrustSettings trust)
            throws SigningException {
        return verify(directory, matches, trust.options(), entries -> { });
    }

    /** How many distinct artifacts the entries cover; files inside containers ({@code a.zip!/x}) do not count. */
    public static int artifactCount(List<ReportEntry> entries) {
        return (int) entries.stream().map(ReportEntry::path).map(DirectoryVerifier::outermost).distinct().count();
    }

    /** The artifact an entry's path is in: {@code dist/app.zip} for {@code dist/app.zip!/bin/app.exe}. */
    public static String outermost(String path) {
        int inside = path.indexOf("!/");
        return inside < 0 ? path : path.substring(0, inside);
    }
}
