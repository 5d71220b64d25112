package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class ConsoleLinesTest {

    @Test
    public void aLimitedLogShowsTheFirstResultsEveryFailureAndCountsTheRest() {
        ConsoleLines console = ConsoleLines.of(false);
        List<String> printed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            printed.addAll(console.linesFor(List.of(i == 300 ? failed("a" + i) : signed("a" + i))));
        }
        assertEquals(ConsoleLines.DEFAULT_LIMIT + 1, printed.size());
        assertThat(printed.get(0), containsString("a0"));
        assertThat(printed.get(ConsoleLines.DEFAULT_LIMIT), containsString("a300 [cms] FAILED: token gone"));
        assertEquals(500 - ConsoleLines.DEFAULT_LIMIT - 1, console.held());
        assertEquals("... and 449 more, see Signatures", console.heldLine("Signatures"));
    }

    @Test
    public void verboseShowsEveryLineAndAFewResultsNeedNoSummingUp() {
        ConsoleLines verbose = ConsoleLines.of(true);
        for (int i = 0; i < 500; i++) {
            assertEquals(1, verbose.linesFor(List.of(signed("a" + i))).size());
        }
        assertNull(verbose.heldLine("Signatures"));

        ConsoleLines few = ConsoleLines.of(false);
        assertEquals(3, few.linesFor(List.of(signed("a"), signed("b"), failed("c"))).size());
        assertNull(few.heldLine("Signatures"));
    }

    private static ReportEntry signed(String path) {
        return ReportEntries.detached(path, "cms", ".p7s");
    }

    private static ReportEntry failed(String path) {
        return ReportEntries.failed(ReportEntry.SIGN, path, "token gone");
    }
}
