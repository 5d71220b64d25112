package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
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
        Verifier verifier = new Verifier(options);
        List<ReportEntry> entries = new ArrayList<>();
        for (String path : ArtifactSelection.select(matches, Set.of())) {
            List<ReportEntry> one;
            try {
                one = verifier.verify(ArtifactPaths.resolveWithin(directory, path), path);
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

    /** How many distinct artifacts the entries cover. */
    public static int artifactCount(List<ReportEntry> entries) {
        return (int) entries.stream().map(ReportEntry::path).distinct().count();
    }
}
