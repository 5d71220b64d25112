package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.io.ArtifactPaths;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the controller accepts of verification results an agent sends back. An agent is not trusted: it lists the
 * files itself and reports their verdicts, so the controller keeps only paths the request's patterns cover, only
 * {@code verify} entries for the paths it asked about, reports a path the agent left out as a failure, and labels
 * every entry with the agent's name and the trust it was checked against, whatever the agent wrote there.
 */
public final class WorkspaceResults {

    private WorkspaceResults() {
    }

    /** The accepted entries, and how many the agent sent that were not asked for. */
    public record Accepted(List<ReportEntry> entries, int ignored) {
    }

    /**
     * The listed paths the controller asks the agent to verify: relative, inside the workspace, matched by the
     * request's patterns ({@code covered}), signature files and duplicates left out, sorted.
     */
    public static List<String> requested(Collection<String> listed, Predicate<String> covered) {
        Set<String> paths = new LinkedHashSet<>();
        for (String path : ArtifactSelection.select(listed, Set.of())) {
            if (staysInside(path) && covered.test(path)) {
                paths.add(path);
            }
        }
        return List.copyOf(paths);
    }

    /** The listed attestation bundles the controller asks the agent to verify, chosen like {@link #requested}. */
    public static List<String> requestedBundles(Collection<String> listed, Predicate<String> covered) {
        Set<String> paths = new TreeSet<>();
        for (String path : listed) {
            if (AttestationFiles.isBundle(path) && staysInside(path) && covered.test(path)) {
                paths.add(path);
            }
        }
        return List.copyOf(paths);
    }

    /**
     * @param checkedOn {@code agent:<name>} (or {@link ReportEntry#CONTROLLER} for a workspace on the controller)
     * @param trust     what the entries were checked against, as labels such as {@code profile:release}
     */
    public static Accepted accept(List<ReportEntry> reported, List<String> requested, String checkedOn,
            List<String> trust) {
        return accept(reported, requested, checkedOn, trust, false);
    }

    /**
     * Like {@link #accept(List, List, String, List)}; with {@code inner} (deep verification), entries for the files
     * inside an asked path ({@code dist/app.zip!/bin/app.exe}) are accepted too.
     */
    public static Accepted accept(List<ReportEntry> reported, List<String> requested, String checkedOn,
            List<String> trust, boolean inner) {
        Set<String> asked = Set.copyOf(requested);
        Set<String> answered = new LinkedHashSet<>();
        List<ReportEntry> accepted = new ArrayList<>();
        int ignored = 0;
        for (ReportEntry e : reported) {
            if (e == null || e.path() == null || !ReportEntry.VERIFY.equals(e.operation())
                    || !asked.contains(inner ? DirectoryVerifier.outermost(e.path()) : e.path())
                    || e.status() == Status.SIGNED) {
                ignored++;
                continue;
            }
            accepted.add(e.checkedAt(checkedOn, trust));
            answered.add(e.path());
        }
        for (String path : requested) {
            if (!answered.contains(path)) {
                accepted.add(ReportEntry.failure(ReportEntry.VERIFY, path, null, Failure.INPUT_ERROR,
                        "The agent reported no result for " + path + ".", 0).checkedAt(checkedOn, trust));
            }
        }
        return new Accepted(accepted, ignored);
    }

    private static boolean staysInside(String path) {
        try {
            ArtifactPaths.checkRelative(path);
            return true;
        } catch (SigningException e) {
            return false;
        }
    }
}
