package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The parts of error reporting that the command tests cannot reach everywhere: a denied access (the tests may run as
 * root, who is never denied) and the precedence of exit codes over every combination of failures.
 */
public class ErrorsTest {

    @Test
    public void aDeniedAccessIsSaidToBeOne() {
        SigningException e = new SigningException(Kind.CONFIGURATION, "The PIN file /run/pin given by --pin-file "
                + "cannot be read.", new AccessDeniedException("/run/pin"));

        assertEquals("The PIN file /run/pin given by --pin-file cannot be read. Permission denied: the user running "
                + "hsmsign may not access /run/pin.", Errors.withPermissionHint(e.getMessage(), e));
        assertEquals("already says permission denied.", Errors.withPermissionHint("already says permission denied.",
                e));
        assertEquals("permission denied (/dist/app.exe)", Reasons.detail(new IOException("wrapped",
                new AccessDeniedException("/dist/app.exe"))));
    }

    @Test
    public void aSignatureThatDidNotVerifyIsNeverHiddenByAnotherFailure() {
        for (Failure other : List.of(Failure.CONFIGURATION, Failure.KEY_ERROR, Failure.INPUT_ERROR,
                Failure.TIMESTAMP_MISSING)) {
            List<ReportEntry> entries = new ArrayList<>();
            entries.add(failed(other, ReportEntry.VERIFY));
            entries.add(failed(Failure.CONTENT_MODIFIED, ReportEntry.VERIFY));
            entries.add(failed(other, ReportEntry.VERIFY));

            assertEquals(other.toString(), ExitCodes.VERIFICATION_FAILED, ExitCodes.of(entries));
        }
    }

    @Test
    public void otherwiseTheFirstProblemToFixDecides() {
        assertEquals(ExitCodes.USAGE, ExitCodes.of(List.of(failed(Failure.INPUT_ERROR, ReportEntry.SIGN),
                failed(Failure.KEY_ERROR, ReportEntry.SIGN), failed(Failure.CONFIGURATION, ReportEntry.SIGN))));
        assertEquals(ExitCodes.KEY, ExitCodes.of(List.of(failed(Failure.INPUT_ERROR, ReportEntry.SIGN),
                failed(Failure.TIMESTAMP_MISSING, ReportEntry.SIGN))));
        assertEquals(ExitCodes.INPUT, ExitCodes.of(List.of(failed(Failure.MALFORMED, ReportEntry.SIGN))));
        assertEquals(ExitCodes.VERIFICATION_FAILED, ExitCodes.of(List.of(failed(Failure.MALFORMED,
                ReportEntry.VERIFY))));
        assertThat(String.valueOf(ExitCodes.PRECEDENCE), containsString("[1, 2, 3, 4]"));
    }

    private static ReportEntry failed(Failure failure, String operation) {
        return ReportEntry.failure(operation, "a.bin", null, failure, "failed.", 0);
    }
}
