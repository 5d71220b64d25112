package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.formats.DetachedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which files a signing or verification request covers: comma-separated Ant patterns as users type them (with spaces
 * after the commas), normalised for pattern matchers that do not trim them (Jenkins' does not); and the matches minus
 * the engine's own signature files and reserved names.
 */
public final class ArtifactSelection {

    /** Every file. */
    public static final String ALL = "**";

    private ArtifactSelection() {
    }

    /** Comma- or newline-separated patterns, trimmed; blank means every artifact. */
    public static String includes(String patterns) {
        String normalized = normalize(patterns);
        return normalized == null ? ALL : normalized;
    }

    /** Like {@link #includes}, but blank means none (null). */
    public static String excludes(String patterns) {
        return normalize(patterns);
    }

    private static String normalize(String patterns) {
        if (patterns == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String part : patterns.split("[,\\n\\r]")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                parts.add(trimmed);
            }
        }
        return parts.isEmpty() ? null : String.join(",", parts);
    }

    /**
     * The matched paths to sign or verify, slash-separated and sorted; signature files and {@code reserved} names
     * are never among them (a signature file is verified with the artifact it belongs to).
     */
    public static List<String> select(Collection<String> matches, Set<String> reserved) {
        List<String> selected = new ArrayList<>();
        for (String path : matches) {
            String p = path.replace('\\', '/');
            if (!Formats.isSignatureFile(p) && !reserved.contains(p)) {
                selected.add(p);
            }
        }
        selected.sort(null);
        return selected;
    }

    /**
     * The detached signature files that may belong to an artifact ({@code app.jar.p7s}, {@code app.jar.asc}): what
     * must be copied beside it before it is verified elsewhere.
     */
    public static List<String> detachedSignatureFiles(String path) {
        List<String> files = new ArrayList<>();
        for (DetachedFormat format : Formats.allDetached()) {
            files.add(path + format.format().extension());
        }
        return files;
    }

    /** "includes 'x'" or "includes 'x' and excludes 'y'", for messages. */
    public static String describe(String includes, String excludes) {
        return "includes '" + includes + "'" + (excludes == null ? "" : " and excludes '" + excludes + "'");
    }
}
