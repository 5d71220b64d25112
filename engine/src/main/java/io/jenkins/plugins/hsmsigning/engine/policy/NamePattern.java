package io.jenkins.plugins.hsmsigning.engine.policy;

import java.util.regex.Pattern;

/**
 * A pattern over slash-separated names such as job full names ({@code releases/app}) or branch names
 * ({@code release/1.x}): {@code *} matches within one segment, {@code **} across segments, {@code ?} one character.
 * {@code releases/**} allows a whole folder.
 */
public final class NamePattern {

    private final String text;
    private final Pattern regex;

    private NamePattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    public static NamePattern of(String pattern) {
        String p = pattern.trim();
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                boolean slashAfter = i + 2 < p.length() && p.charAt(i + 2) == '/';
                re.append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new NamePattern(p, Pattern.compile(re.toString()));
    }

    public boolean matches(String name) {
        return name != null && regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
