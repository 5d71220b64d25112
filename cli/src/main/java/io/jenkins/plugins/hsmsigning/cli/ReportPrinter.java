package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.SignerVerdict;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Prints a run the way a person reads it: one line per artifact and format, sorted by artifact path, in aligned
 * columns (status, format, path, signer, timestamp, time taken, reason), then a summary. With {@code --json} the
 * report itself; with {@code --quiet} only the failures, on standard error.
 */
final class ReportPrinter {

    private static final String NO_TIMESTAMP = "no timestamp";

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputOptions options;

    ReportPrinter(PrintWriter out, PrintWriter err, OutputOptions options) {
        this.out = out;
        this.err = err;
        this.options = options;
    }

    /** Every entry of {@code report} sorted by path, then one summary line counting what {@code operation} did. */
    void print(SignatureReport report, String operation, long startNanos) {
        if (!options.json) {
            List<ReportEntry> sorted = sorted(report.entries());
            Widths widths = Widths.of(sorted);
            sorted.forEach(e -> entry(e, widths));
        }
        finish(report, operation, startNanos);
    }

    /** By path, then in the order the engine gave (embedded before detached formats). */
    static List<ReportEntry> sorted(List<ReportEntry> entries) {
        return entries.stream().sorted(Comparator.comparing(ReportEntry::path, Comparator.nullsFirst(
                Comparator.naturalOrder()))).toList();
    }

    /** The report with {@code --json}, else the summary line. */
    void finish(SignatureReport report, String operation, long startNanos) {
        if (options.json) {
            out.println(report.toJson());
        } else if (!options.quiet) {
            out.println(summary(report.summary(), operation, (System.nanoTime() - startNanos) / 1e9));
        }
        out.flush();
        err.flush();
    }

    /** One entry on its own, as the demo prints them while it goes. */
    void entry(ReportEntry entry) {
        entry(entry, Widths.of(List.of(entry)));
        out.flush();
    }

    private void entry(ReportEntry entry, Widths widths) {
        if (options.quiet) {
            if (entry.failed()) {
                err.println(entry.reason());
            }
            return;
        }
        out.println(line(entry, widths));
        if (entry.signers() != null && entry.signers().size() > 1) {
            entry.signers().forEach(signer -> out.println("          signature: " + signer(signer)));
        }
        entry.warnings().forEach(w -> out.println("          warning: " + w));
    }

    static String line(ReportEntry e) {
        return line(e, Widths.of(List.of(e)));
    }

    private static String line(ReportEntry e, Widths widths) {
        long millis = e.durationMillis() == null ? 0L : e.durationMillis().longValue();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %-12s %-" + widths.path + "s  %-"
                + widths.signer + "s  %-20s  %6d ms", e.status(), e.format() == null ? "-" : e.format(), e.path(),
                signerName(e), timestamp(e), millis));
        if (e.failed()) {
            line.append("  ").append(e.reason());
        }
        return line.toString();
    }

    private static String signerName(ReportEntry e) {
        return e.signer() != null && e.signer().subject() != null ? commonName(e.signer().subject()) : "-";
    }

    /** The timestamp's time; "no timestamp" where one could have been and is not. */
    private static String timestamp(ReportEntry e) {
        if (e.timestamp() != null && e.timestamp().time() != null) {
            return e.timestamp().time().truncatedTo(ChronoUnit.SECONDS).toString();
        }
        return e.failed() || "pgp".equals(e.format()) || e.format() == null ? "-" : NO_TIMESTAMP;
    }

    /** Column widths that fit every line printed together. */
    private record Widths(int path, int signer) {
        static Widths of(List<ReportEntry> entries) {
            int path = 1;
            int signer = 1;
            for (ReportEntry e : entries) {
                path = Math.max(path, String.valueOf(e.path()).length());
                signer = Math.max(signer, signerName(e).length());
            }
            return new Widths(path, signer);
        }
    }

    /** {@code Judy <judy@example.org> (Ed25519 with SHA-512): VERIFIED}, or the key id of an unknown signer. */
    static String signer(SignerVerdict verdict) {
        String who = verdict.signer() == null ? "unknown signer" : verdict.signer().subject() != null
                ? commonName(verdict.signer().subject()) : "key " + verdict.signer().serialNumber();
        return who + (verdict.algorithm() == null ? "" : " (" + verdict.algorithm() + ")") + ": "
                + verdict.status() + (verdict.failure() == null ? "" : " " + verdict.failure());
    }

    private static String summary(SignatureReport.Summary s, String operation, double seconds) {
        String done = ReportEntry.SIGN.equals(operation) ? s.signed() + " signed" : s.verified() + " verified";
        String warnings = s.warnings() == 0 ? "" : ", " + s.warnings() + " with warnings";
        return String.format(Locale.ROOT, "%s, %d failed%s in %.1f s.", done, s.failed(), warnings, seconds);
    }

    /** The CN of an X.500 name; anything else (an OpenPGP user id) as it is. */
    static String commonName(String subject) {
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // not a distinguished name
        }
        return subject;
    }
}
