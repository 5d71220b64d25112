package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.List;

/**
 * The documented exit codes, and how the engine's failures map onto them, so that scripts can tell a bad signature
 * (1) from a bad command line (2), a token problem (3) and a missing file (4).
 */
final class ExitCodes {

    static final int OK = 0;
    static final int VERIFICATION_FAILED = 1;
    static final int USAGE = 2;
    static final int KEY = 3;
    static final int INPUT = 4;
    static final int INTERNAL = 70;

    /**
     * When artifacts failed differently: a signature that did not verify first, so that a tampered file is never
     * reported as a mere missing one; then the first problem to fix: usage, key, input.
     */
    static final List<Integer> PRECEDENCE = List.of(VERIFICATION_FAILED, USAGE, KEY, INPUT);

    private ExitCodes() {
    }

    static int of(SigningException.Kind kind) {
        return switch (kind) {
            case CONFIGURATION -> USAGE;
            case KEY, TIMESTAMP -> KEY;
            case INPUT -> INPUT;
            case VERIFICATION -> VERIFICATION_FAILED;
        };
    }

    /** A malformed file is an input error when signing it, and a signature that does not verify when verifying. */
    static int of(Failure failure, String operation) {
        return switch (failure) {
            case CONFIGURATION -> USAGE;
            case KEY_ERROR, TIMESTAMP_MISSING -> KEY;
            case INPUT_ERROR -> INPUT;
            case MALFORMED -> ReportEntry.SIGN.equals(operation) ? INPUT : VERIFICATION_FAILED;
            default -> VERIFICATION_FAILED;
        };
    }

    /** {@link #OK} when no entry failed. */
    static int of(List<ReportEntry> entries) {
        int code = OK;
        for (ReportEntry entry : entries) {
            if (entry.failed()) {
                int candidate = of(entry.failure(), entry.operation());
                if (code == OK || PRECEDENCE.indexOf(candidate) < PRECEDENCE.indexOf(code)) {
                    code = candidate;
                }
            }
        }
        return code;
    }
}
