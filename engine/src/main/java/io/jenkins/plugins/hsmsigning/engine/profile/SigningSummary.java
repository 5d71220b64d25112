package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.SignerVerdict;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What front-ends make of the engine's report entries: log lines, the failure message, the files a run changed, the
 * result handed back to a script as plain maps and lists, and a JSON form to carry entries between processes.
 */
public final class SigningSummary {

    private SigningSummary() {
    }

    /**
     * {@code dist/app.exe [authenticode] signed by Example Corp in 120 ms}, {@code … verified, signed by …}, or the
     * failure reason.
     */
    public static String logLine(ReportEntry e) {
        String format = e.format() == null ? "" : " [" + e.format() + "]";
        if (e.status() == Status.FAILED) {
            return e.path() + format + " FAILED: " + e.reason();
        }
        String signer = e.signer() == null || e.signer().subject() == null ? "" : commonName(e.signer().subject());
        String outcome = switch (e.status()) {
            case SIGNED -> " signed" + (signer.isEmpty() ? "" : " by " + signer);
            case INTACT -> " intact (trust not judged)" + (signer.isEmpty() ? "" : ", signed by " + signer);
            case UNCHECKED -> " not checked (key unknown)";
            default -> " verified" + (signer.isEmpty() ? "" : ", signed by " + signer);
        };
        if (e.signers() != null && e.signers().size() > 1) {
            outcome += " (" + e.signers().size() + " signatures)";
        }
        String time = e.durationMillis() == null ? "" : " in " + e.durationMillis() + " ms";
        String timestamp = e.timestamp() == null ? "" : ", timestamped by " + e.timestamp().authority();
        String warnings = e.warnings().isEmpty() ? "" : " (warning: " + String.join("; ", e.warnings()) + ")";
        return e.path() + format + outcome + time + timestamp + warnings;
    }

    /** {@code 3 signed, 0 verified, 1 failed}. */
    public static String summaryLine(List<ReportEntry> entries) {
        SignatureReport.Summary s = SignatureReport.Summary.of(entries);
        return s.signed() + " signed, " + s.verified() + " verified, " + s.failed() + " failed"
                + (s.warnings() == 0 ? "" : ", " + s.warnings() + " with warnings");
    }

    /** The CN of a distinguished name, or the whole name when it has none. */
    public static String commonName(String dn) {
        if (dn == null) {
            return null;
        }
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // fall through to the whole name
        }
        return dn;
    }

    /**
     * {@code 1 of 3 signatures failed:} (or verifications) and one line per distinct reason, or null when nothing
     * failed.
     */
    public static String failureMessage(List<ReportEntry> entries) {
        Set<String> reasons = new LinkedHashSet<>();
        int failed = 0;
        boolean verification = false;
        for (ReportEntry e : entries) {
            if (e.failed()) {
                failed++;
                reasons.add(e.reason());
                verification |= ReportEntry.VERIFY.equals(e.operation());
            }
        }
        if (failed == 0) {
            return null;
        }
        String what = verification ? "verifications" : "signatures";
        return failed + " of " + entries.size() + " " + what + " failed:\n  " + String.join("\n  ", reasons);
    }

    /**
     * Like {@link #changedFiles(List)}, for the entries of {@code artifacts} only: deep signing also reports the files
     * inside containers ({@code dist/app.zip!/bin/app.exe}), which changed inside the container, not on their own.
     */
    public static Map<String, String> changedFiles(List<ReportEntry> entries, Collection<String> artifacts) {
        Set<String> own = new HashSet<>(artifacts);
        return changedFiles(entries.stream().filter(e -> own.contains(e.path())).toList());
    }

    /**
     * The files to archive again, as artifact path to path under the signing directory (they are the same): the
     * artifacts an embedded format (or deep signing, before a detached one) re-wrote, and the detached signature files
     * written beside them.
     */
    public static Map<String, String> changedFiles(List<ReportEntry> entries) {
        Map<String, String> files = new LinkedHashMap<>();
        for (ReportEntry e : entries) {
            if (e.status() != Status.SIGNED) {
                continue;
            }
            if (e.signatureFile() != null) {
                files.put(e.signatureFile(), e.signatureFile());
            }
            if (e.sha256After() != null && !e.sha256After().equals(e.sha256Before())) {
                files.put(e.path(), e.path());
            }
        }
        return files;
    }

    /** A failed entry per artifact when the key could not be opened (or the like), so that the report shows why. */
    public static List<ReportEntry> failAll(String operation, List<String> paths, SigningException e) {
        List<ReportEntry> entries = new ArrayList<>();
        for (String path : paths) {
            entries.add(ReportEntry.failure(operation, path, null, Failure.of(e.kind()), e.getMessage(), 0));
        }
        return entries;
    }

    /**
     * The result a script step returns: counts and one map per entry, made only of serialisable JDK types that the
     * Groovy sandbox lets scripts read ({@code result.signed}, {@code result.results[0].signer}).
     */
    public static Map<String, Object> toPipelineResult(List<ReportEntry> entries, int artifacts) {
        SignatureReport.Summary s = SignatureReport.Summary.of(entries);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("artifacts", artifacts);
        result.put("signed", s.signed());
        result.put("verified", s.verified());
        result.put("failed", s.failed());
        result.put("warnings", s.warnings());
        List<Object> rows = new ArrayList<>();
        for (ReportEntry e : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("operation", e.operation());
            row.put("path", e.path());
            row.put("format", e.format());
            row.put("status", e.status().name());
            row.put("signatureFile", e.signatureFile());
            row.put("signer", e.signer() == null ? null : e.signer().subject());
            row.put("fingerprint", e.signer() == null ? null : e.signer().sha256Fingerprint());
            row.put("timestamp", e.timestamp() == null || e.timestamp().time() == null ? null
                    : e.timestamp().time().toString());
            row.put("sha256", e.sha256After());
            row.put("durationMillis", e.durationMillis());
            row.put("reason", e.reason());
            row.put("warnings", new ArrayList<>(e.warnings()));
            row.put("algorithm", e.algorithm());
            row.put("signers", signerRows(e));
            rows.add(row);
        }
        result.put("results", rows);
        return result;
    }

    /** Each signer of a verified entry with its own verdict, for scripts: {@code result.results[0].signers[1].status}. */
    private static List<Object> signerRows(ReportEntry e) {
        List<Object> rows = new ArrayList<>();
        for (SignerVerdict s : e.signers() == null ? List.<SignerVerdict>of() : e.signers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("signer", s.signer() == null ? null : s.signer().subject());
            row.put("fingerprint", s.signer() == null ? null : s.signer().sha256Fingerprint());
            row.put("algorithm", s.algorithm());
            row.put("status", s.status().name());
            row.put("failure", s.failure() == null ? null : s.failure().name());
            row.put("reason", s.reason());
            rows.add(row);
        }
        return rows;
    }

    /**
     * Entries as the engine's versioned report JSON, to carry them from one process to another (from a build agent
     * to the controller, say) as a plain string; {@link #fromJson} reads them back.
     */
    public static String toJson(List<ReportEntry> entries) {
        SignatureReport report = new SignatureReport(RunContext.now(null, Map.of()));
        report.addAll(entries);
        return report.toJson();
    }

    public static List<ReportEntry> fromJson(String json) throws IOException {
        return SignatureReport.parse(json).entries();
    }
}
