package io.jenkins.plugins.hsmsigning.support;

import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which archived artifacts a signing request covers: comma-separated Ant patterns as users type them (with spaces
 * after the commas), normalised for Jenkins' pattern matcher, which does not trim them; and the matches minus the
 * engine's own signature files and reserved names. Plain Java, no Jenkins types: it belongs in the engine.
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

    /** The matched paths to sign, sorted; signature files and {@code reserved} names are never signed. */
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

    /** "includes 'x'" or "includes 'x' and excludes 'y'", for messages. */
    public static String describe(String includes, String excludes) {
        return "includes '" + includes + "'" + (excludes == null ? "" : " and excludes '" + excludes + "'");
    }
}
