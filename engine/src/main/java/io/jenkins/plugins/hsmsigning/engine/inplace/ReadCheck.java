package io.jenkins.plugins.hsmsigning.engine.inplace;

import io.jenkins.plugins.hsmsigning.engine.SigningException;

/**
 * A check of an artifact's bytes before they are signed, on the SHA-256 of the very read that is signed (an approved
 * digest, say), so that nothing can swap the bytes between the check and the signature.
 */
@FunctionalInterface
public interface ReadCheck {

    /** Checks nothing. */
    ReadCheck NONE = (path, sha256) -> { };

    /** Fails, with one sentence naming the artifact, if {@code sha256} (hex) of {@code path} may not be signed. */
    void check(String path, String sha256) throws SigningException;
}
