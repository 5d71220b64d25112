package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.policy.NamePattern;
import java.util.Arrays;
import java.util.List;

/**
 * Which files inside a container deep signing touches, by their path inside it ({@code bin/app.exe}): those matching
 * {@code innerIncludes} (default every file) and not {@code innerExcludes}; and which of them also get a detached CMS
 * signature beside them inside the container ({@code innerDetached}, default none). Patterns are comma-separated, with
 * {@code *} within one directory, {@code **} across directories and {@code ?} one character, as for artifacts.
 */
public record InnerSelection(List<NamePattern> includes, List<NamePattern> excludes, List<NamePattern> detached) {

    /** How deep containers nest before deep signing stops descending (the artifact itself is depth 0). */
    public static final int MAX_DEPTH = 4;

    public InnerSelection {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        detached = List.copyOf(detached);
    }

    /** Every inner file, no detached signatures. */
    public static InnerSelection all() {
        return of(null, null, null);
    }

    /** From the comma-separated pattern lists of the front-ends; blank means the default. */
    public static InnerSelection of(String innerIncludes, String innerExcludes, String innerDetached) {
        List<NamePattern> includes = patterns(innerIncludes);
        return new InnerSelection(includes.isEmpty() ? List.of(NamePattern.of("**")) : includes,
                patterns(innerExcludes), patterns(innerDetached));
    }

    /** Whether deep signing looks at the inner file {@code name} at all. */
    public boolean selects(String name) {
        return includes.stream().anyMatch(p -> p.matches(name)) && excludes.stream().noneMatch(p -> p.matches(name));
    }

    /** Whether the selected inner file {@code name} gets a detached signature beside it. */
    public boolean detaches(String name) {
        return detached.stream().anyMatch(p -> p.matches(name));
    }

    private static List<NamePattern> patterns(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(NamePattern::of)
                .toList();
    }
}
