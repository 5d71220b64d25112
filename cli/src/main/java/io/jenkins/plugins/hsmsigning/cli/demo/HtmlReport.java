package io.jenkins.plugins.hsmsigning.cli.demo;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The signature report as one self-contained HTML page (no scripts, no external styles), for people who would rather
 * not read JSON. Everything taken from the report is escaped: paths and subjects are not ours to trust.
 */
public final class HtmlReport {

    private static final List<String> COLUMNS = List.of("Operation", "Artifact", "Format", "Status", "Signer",
            "Algorithm", "Timestamp", "Time (ms)", "Details");

    private HtmlReport() {
    }

    public static String render(SignatureReport report) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>hsmsign signature report</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;"
                + "vertical-align:top}.FAILED{background:#fdd}.SIGNED,.VERIFIED{background:#dfd}</style></head><body>\n"
                + "<h1>hsmsign signature report</h1>\n<p>");
        SignatureReport.Summary summary = report.summary();
        html.append(escape(report.context().startedAt() + ": " + summary.signed() + " signed, "
                + summary.verified() + " verified, " + summary.failed() + " failed.")).append("</p>\n<table>\n<tr>");
        COLUMNS.forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
        html.append("</tr>\n");
        for (ReportEntry e : report.entries()) {
            html.append("<tr class=\"").append(escape(String.valueOf(e.status()))).append("\">");
            for (String cell : cells(e)) {
                html.append("<td>").append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n</body></html>\n").toString();
    }

    private static List<String> cells(ReportEntry e) {
        List<String> details = new ArrayList<>();
        if (e.reason() != null) {
            details.add(e.reason());
        }
        details.addAll(e.warnings());
        return List.of(e.operation(), e.path() + (e.signatureFile() == null ? "" : " (" + e.signatureFile() + ")"),
                orDash(e.format()), String.valueOf(e.status()), e.signer() == null ? "-" : orDash(e.signer().subject()),
                orDash(e.signatureAlgorithm()),
                e.timestamp() == null ? "-" : e.timestamp().time() + " " + e.timestamp().authority(),
                String.valueOf(e.durationMillis()), String.join(" ", details));
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
