package io.jenkins.plugins.hsmsigning.engine.policy;

/**
 * An allowed-repository pattern: a repository URL written as an admin would ({@code https://github.com/acme/app},
 * {@code github.com/acme/*}, {@code git@github.com:acme/**}), normalised like the URLs it is compared with
 * ({@link RepositoryUrl}) and matched as a {@link NamePattern}: {@code *} within one path segment, {@code **}
 * across segments.
 */
public record RepositoryPattern(String text, NamePattern pattern) {

    /** Parses a pattern; null when it names no repository on a host. */
    public static RepositoryPattern parse(String text) {
        String normalised = RepositoryUrl.normalise(text.contains("://") || text.contains("@") ? text
                : "https://" + text);
        if (normalised == null) {
            return null;
        }
        return new RepositoryPattern(text.trim(), NamePattern.of(normalised));
    }

    public boolean matches(String repositoryUrl) {
        String normalised = RepositoryUrl.normalise(repositoryUrl);
        return normalised != null && pattern.matches(normalised);
    }

    @Override
    public String toString() {
        return text;
    }
}
