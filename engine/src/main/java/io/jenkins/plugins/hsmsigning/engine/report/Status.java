package io.jenkins.plugins.hsmsigning.engine.report;

/** The outcome of one operation on one artifact in one format (or of one signer's signature). */
public enum Status {
    SIGNED,
    /** Every check passed, trust included. */
    VERIFIED,
    /**
     * Inspection only ({@code hsmsign inspect}): the signature matches the artifact and its value verifies with the
     * key it names, but whether that key is trusted was deliberately not judged. Never a trust verdict.
     */
    INTACT,
    /** Inspection only: the signature was found and described, but its key is not known, so nothing was checked. */
    UNCHECKED,
    FAILED
}
