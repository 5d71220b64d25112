package io.jenkins.plugins.hsmsigning.engine.io;

/**
 * Entry names in archives (ZIP, CAB) that a tool extracting the archive would write outside the directory it extracts
 * to: a {@code ..} segment, an absolute path, a drive letter or a NUL character. Slashes and backslashes both separate
 * segments, because Windows tools accept either.
 */
public final class ArchiveNames {

    private ArchiveNames() {
    }

    /** Why {@code name} escapes the extraction directory, as a phrase; null when it stays inside. */
    public static String escape(String name) {
        if (name.indexOf('\0') >= 0) {
            return "contains a NUL character";
        }
        String p = name.replace('\\', '/');
        if (p.startsWith("/")) {
            return "is an absolute path";
        }
        if (p.length() >= 2 && p.charAt(1) == ':' && Character.isLetter(p.charAt(0))) {
            return "starts with a drive letter";
        }
        for (String segment : p.split("/", -1)) {
            if (segment.equals("..")) {
                return "climbs out with '..'";
            }
        }
        return null;
    }

    /**
     * A name fit for a one-line message between single quotes: at most 80 characters, with '?' for what could break
     * the line or the quoting or disguise the name: control characters, quotes, invisible formatting characters
     * (bidirectional overrides, zero-width characters) and the replacement character of undecodable bytes.
     */
    public static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 80; i++) {
            char c = name.charAt(i);
            boolean hidden = Character.isISOControl(c) || c == '\'' || c == '\uFFFD'
                    || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c);
            b.append(hidden ? '?' : c);
        }
        return name.length() > 80 ? b + "..." : b.toString();
    }
}
