package io.jenkins.plugins.hsmsigning.engine.attest;

import java.util.Locale;

/**
 * One artifact a statement is about: its path relative to the artifacts' root (the build's archived artifacts, or
 * the working directory of {@code hsmsign}) and the SHA-256 of its final bytes, lower-case hex.
 */
public record Subject(String name, String sha256) {

    public Subject {
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }
}
