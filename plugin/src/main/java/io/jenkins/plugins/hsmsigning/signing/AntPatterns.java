package io.jenkins.plugins.hsmsigning.signing;

import org.apache.tools.ant.types.selectors.SelectorUtils;

/**
 * Whether a relative path is covered by comma-separated Ant patterns, checked on the controller for paths an agent
 * listed: an agent could list anything.
 */
final class AntPatterns {

    private AntPatterns() {
    }

    /** Matched by one of {@code includes} and by none of {@code excludes} (null: none). */
    static boolean covers(String includes, String excludes, String path) {
        return matchesAny(includes, path) && (excludes == null || !matchesAny(excludes, path));
    }

    private static boolean matchesAny(String patterns, String path) {
        for (String pattern : patterns.split(",")) {
            String p = pattern.trim().replace('\\', '/');
            if (p.endsWith("/")) {
                p = p + "**";
            }
            if (!p.isEmpty() && SelectorUtils.matchPath(p, path, true)) {
                return true;
            }
        }
        return false;
    }
}
