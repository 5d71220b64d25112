package io.jenkins.plugins.hsmsigning.engine;

/**
 * A failure a person can act on. The message is one sentence naming the artifact or setting at fault; it never
 * contains a secret. The {@link Kind} lets front-ends map failures onto exit codes and build results.
 */
public class SigningException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, coarsely: decides the command line's exit code and how a build reports it. */
    public enum Kind {
        /** A setting is missing or contradicts another (exit code 2). */
        CONFIGURATION,
        /** The token, key, PIN or certificate cannot be used (exit code 3). */
        KEY,
        /** An artifact or signature file cannot be read, is of the wrong format, or is hostile (exit code 4). */
        INPUT,
        /** No timestamp could be obtained and the policy requires one (exit code 3). */
        TIMESTAMP,
        /** A signature did not verify (exit code 1). */
        VERIFICATION
    }

    private final Kind kind;

    public SigningException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SigningException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
