package io.jenkins.plugins.hsmsigning.engine.audit;

import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Audit records as a download: JSON Lines (each line as the log keeps it) or CSV for spreadsheets. Artifact names
 * and job names are hostile, so a CSV cell that a spreadsheet would run as a formula is written as text.
 */
public enum AuditExport {
    /** {@code application/x-ndjson}, one JSON object per line. */
    JSONL("jsonl", "application/x-ndjson"),
    /** {@code text/csv}, a header line and one line per record (RFC 4180 quoting). */
    CSV("csv", "text/csv");

    /** The most records one download holds, newest first from the log's end. */
    public static final int MAX_RECORDS = 100_000;

    private static final List<String> COLUMNS = List.of("time", "job", "build", "user", "causeType", "commit",
            "profile", "artifact", "format", "sha256", "signerFingerprint", "result", "reason", "failedRules");

    private final String extension;
    private final String contentType;

    AuditExport(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** {@code jsonl} or {@code csv} (any case); null for anything else. */
    public static AuditExport parse(String name) {
        for (AuditExport e : values()) {
            if (name != null && e.extension.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        return null;
    }

    /** Writes {@code records} in the order given. */
    public void write(List<AuditRecord> records, Writer out) throws IOException {
        if (this == CSV) {
            out.write(String.join(",", COLUMNS));
            out.write("\r\n");
        }
        for (AuditRecord r : records) {
            out.write(this == JSONL ? AuditLog.toJson(r) : csvLine(r));
            out.write(this == JSONL ? "\n" : "\r\n");
        }
        out.flush();
    }

    private static String csvLine(AuditRecord r) {
        List<String> cells = new ArrayList<>(List.of(
                r.time() == null ? "" : r.time().toString(), nn(r.job()), nn(r.build()), nn(r.user()),
                nn(r.causeType()), nn(r.commit()), nn(r.profile()), nn(r.artifact()), nn(r.format()),
                nn(r.sha256()), nn(r.signerFingerprint()), nn(r.result()), nn(r.reason()),
                r.policy().stream().filter(RuleCheck::failed).map(RuleCheck::describe)
                        .collect(Collectors.joining("; "))));
        return cells.stream().map(AuditExport::cell).collect(Collectors.joining(","));
    }

    /** Quoted; a leading {@code = + - @} or control character is preceded by {@code '} so it stays text. */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
