package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A signature stored inside the artifact. The engine gives the format a copy to sign (never the original), verifies
 * the result, and only then moves it over the artifact.
 */
public interface EmbeddedFormat {

    Format format();

    /** Whether the file is of this format, judged by its content (scripts: by extension and text). */
    boolean recognizes(Path file) throws IOException;

    /**
     * Whether the "auto" format signs this file in place. Only when asked for explicitly does a format rewrite files
     * that are also read as plain text elsewhere (JavaScript in a web bundle, say).
     */
    default boolean signsByDefault(Path file) throws IOException {
        return recognizes(file);
    }

    /**
     * Refuses, with one sentence naming the artifact and the problem, a file of this format whose layout is damaged
     * or hostile (offsets past the end, overlapping parts, archives whose entries escape their root, repeat a name or
     * are compression bombs). The engine calls it before signing and before verifying, after {@link #recognizes};
     * it reads the file only as far as the format's structure needs, with bounded memory, and writes nothing.
     */
    default void checkStructure(Path file, String artifactName) throws SigningException {
    }

    /**
     * Whether the format signs a byte-for-byte copy of the artifact where it lies. {@link #sign} then copies
     * {@code source} into {@code target} itself, hashing it for the report on the way (its SHA-256 comes back in
     * {@link SignedResult#sourceSha256}) and computing from the same read what it signs, so the artifact is read once
     * for the copy, the report and the signature alike.
     */
    default boolean signsCopyInPlace() {
        return false;
    }

    /**
     * Signs {@code source} into {@code target}, a new empty file in the same directory (for formats that
     * {@link #signsCopyInPlace}, after copying {@code source} into it).
     */
    SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, Path source, Path target,
            String artifactName) throws SigningException;

    /** One outcome per signature the file carries (nested ones included); empty when it carries none. */
    List<VerificationOutcome> verify(Path file, String artifactName, VerificationOptions options)
            throws SigningException;
}
