package io.jenkins.plugins.hsmsigning.engine.policy;

import java.util.Locale;

/**
 * An allowed-branches pattern: a {@link NamePattern} over the names of one kind of head. A plain pattern matches
 * branches only; {@code tag:v*} matches tags and {@code change-request:PR-*} change requests. A tag or a pull request
 * can be named like a protected branch, and is usually far easier to create, so neither is allowed by accident.
 */
public record HeadPattern(UsagePolicy.HeadKind kind, NamePattern names) {

    /** Parses {@code [branch:|tag:|change-request:]pattern}; null when the prefix is unknown. */
    public static HeadPattern parse(String text) {
        String p = text.trim();
        int colon = p.indexOf(':');
        if (colon < 0) {
            return new HeadPattern(UsagePolicy.HeadKind.BRANCH, NamePattern.of(p));
        }
        String prefix = p.substring(0, colon + 1).toLowerCase(Locale.ROOT);
        for (UsagePolicy.HeadKind kind : UsagePolicy.HeadKind.values()) {
            if (kind.prefix().equals(prefix)) {
                return new HeadPattern(kind, NamePattern.of(p.substring(colon + 1)));
            }
        }
        return null;
    }

    public boolean matches(UsagePolicy.Head head) {
        return head != null && head.kind() == kind && names.matches(head.name());
    }
}
