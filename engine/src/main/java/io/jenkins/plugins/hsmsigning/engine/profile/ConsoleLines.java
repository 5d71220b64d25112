package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Which per-artifact lines a build log shows, so that 500 artifacts do not make 500 lines: every failure, and the
 * first {@link #DEFAULT_LIMIT} other results; the rest are counted and summed up in one line pointing to the full
 * report. Verbose shows every line. Fed from the signing threads as each artifact finishes.
 */
public final class ConsoleLines {

    /** Results shown one per line before the rest are only counted. */
    public static final int DEFAULT_LIMIT = 50;

    private final int limit;
    private int shown;
    private int held;

    private ConsoleLines(int limit) {
        this.limit = limit;
    }

    /** {@code verbose}: every result gets its line; else the first {@link #DEFAULT_LIMIT} and every failure. */
    public static ConsoleLines of(boolean verbose) {
        return new ConsoleLines(verbose ? Integer.MAX_VALUE : DEFAULT_LIMIT);
    }

    public static ConsoleLines limitedTo(int limit) {
        return new ConsoleLines(Math.max(0, limit));
    }

    /** The lines to print now for these finished results ({@link SigningSummary#logLine}). */
    public synchronized List<String> linesFor(List<ReportEntry> entries) {
        List<String> lines = new ArrayList<>();
        for (ReportEntry e : entries) {
            if (e.status() == Status.FAILED || shown < limit) {
                lines.add(SigningSummary.logLine(e));
                shown += e.status() == Status.FAILED ? 0 : 1;
            } else {
                held++;
            }
        }
        return lines;
    }

    /** How many results got no line. */
    public synchronized int held() {
        return held;
    }

    /** {@code ... and 450 more, see WHERE}, or null when every result got its line. */
    public synchronized String heldLine(String where) {
        return held == 0 ? null : "... and " + held + " more, see " + where;
    }
}
