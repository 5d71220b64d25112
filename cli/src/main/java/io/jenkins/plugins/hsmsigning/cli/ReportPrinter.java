package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.SignerVerdict;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Prints a run the way a person follows it: one line per artifact and format (status, format, path, signer, time
 * taken), then a summary. With {@code --json} the report itself; with {@code --quiet} only the failures, on
 * standard error.
 */
final class ReportPrinter {

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputOptions options;

    ReportPrinter(PrintWriter out, PrintWriter err, OutputOptions options) {
        this.out = out;
        this.err = err;
        this.options = options;
    }

    /** Every entry of {@code report}, then one summary line counting what {@code operation} achieved. */
    void print(SignatureReport report, String operation, long startNanos) {
        live(report.entries());
        finish(report, operation, startNanos);
    }

    /** Entries as soon as they are done (nothing with {@code --json}, which prints the whole report at the end). */
    void live(List<ReportEntry> entries) {
        if (!options.json) {
            entries.forEach(this::entry);
            out.flush();
            err.flush();
        }
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

    void entry(ReportEntry entry) {
        if (options.quiet) {
            if (entry.failed()) {
                err.println(entry.reason());
            }
            return;
        }
        out.println(line(entry));
        if (entry.signers() != null && entry.signers().size() > 1) {
            entry.signers().forEach(signer -> out.println("          signature: " + signer(signer)));
        }
        entry.warnings().forEach(w -> out.println("          warning: " + w));
    }

    static String line(ReportEntry e) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %-12s %s", e.status(),
                e.format() == null ? "-" : e.format(), e.path()));
        if (e.signer() != null && e.signer().subject() != null) {
            line.append("  ").append(commonName(e.signer().subject()));
        }
        line.append("  ").append(e.durationMillis()).append(" ms");
        if (e.failed()) {
            line.append("  ").append(e.reason());
        }
        return line.toString();
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
