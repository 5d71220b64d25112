package io.jenkins.plugins.hsmsigning.model;

import hudson.model.Api;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * What a build signed (and, later, verified): a summary on the build page, a page at {@code …/signatures/} with one
 * row per artifact and format (with where and against what each verification was checked), and the same data at
 * {@code …/signatures/api/json}. Every signing step of the build adds to the one action; the engine's full report is
 * kept in the build's directory and archived beside the artifacts as {@value #REPORT_FILE}, a copy for downloads that
 * is never read back.
 */
@ExportedBean
public class SignatureReportAction implements RunAction2 {

    /** The name of the engine's full JSON report: kept in the build's directory, archived as a copy. */
    public static final String REPORT_FILE = "signatures.json";

    private List<SignatureRow> rows = new ArrayList<>();
    private transient Run<?, ?> run;

    /** Adds the entries of one signing step. */
    public synchronized void add(List<ReportEntry> entries) {
        for (ReportEntry e : entries) {
            rows.add(new SignatureRow(e));
        }
    }

    @Exported(name = "artifacts")
    public synchronized List<SignatureRow> getRows() {
        return new ArrayList<>(rows);
    }

    @Exported
    public synchronized int getSigned() {
        return count("SIGNED");
    }

    @Exported
    public synchronized int getVerified() {
        return count("VERIFIED");
    }

    @Exported
    public synchronized int getFailed() {
        return count("FAILED");
    }

    /** How many rows carry at least one warning: the build summary counts them. */
    @Exported
    public synchronized int getWithWarnings() {
        int n = 0;
        for (SignatureRow row : rows) {
            n += row.getWarnings().isEmpty() ? 0 : 1;
        }
        return n;
    }

    /** One distinct warning, numbered in order of first appearance, and how many rows carry it. */
    public record Warning(int number, String text, int rows) {
    }

    /** Each distinct warning once, so that the page says it once rather than on every row. */
    public synchronized List<Warning> getDistinctWarnings() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (SignatureRow row : rows) {
            for (String w : new LinkedHashSet<>(row.getWarnings())) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<Warning> warnings = new ArrayList<>();
        counts.forEach((text, n) -> warnings.add(new Warning(warnings.size() + 1, text, n)));
        return warnings;
    }

    /** The numbers ({@link #getDistinctWarnings()}) of a row's warnings. */
    public List<Integer> warningNumbers(SignatureRow row) {
        List<Warning> all = getDistinctWarnings();
        List<Integer> numbers = new ArrayList<>();
        for (Warning w : all) {
            if (row.getWarnings().contains(w.text())) {
                numbers.add(w.number());
            }
        }
        return numbers;
    }

    /** The statuses present, for the page's filter. */
    public synchronized List<String> getStatuses() {
        return rows.stream().map(SignatureRow::getStatus).distinct().sorted().toList();
    }

    /** The rows with {@code status}; all rows when it is null or blank. */
    public synchronized List<SignatureRow> rowsWithStatus(String status) {
        if (status == null || status.isBlank()) {
            return new ArrayList<>(rows);
        }
        return rows.stream().filter(r -> r.getStatus().equals(status)).toList();
    }

    /**
     * The relative paths of the build's archived files, so that the page links only names that exist there (a
     * verified workspace file is not archived).
     */
    public Set<String> getArchivedPaths() {
        Set<String> paths = new HashSet<>();
        if (run != null) {
            for (Run<?, ?>.Artifact a : run.getArtifacts()) {
                paths.add(a.relativePath);
            }
        }
        return paths;
    }

    private int count(String status) {
        int n = 0;
        for (SignatureRow row : rows) {
            if (status.equals(row.getStatus())) {
                n++;
            }
        }
        return n;
    }

    /** The artifact path of the full report. */
    @Exported
    public String getReportFile() {
        return REPORT_FILE;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    public Api getApi() {
        return new Api(this);
    }

    @Override
    public String getIconFileName() {
        return "symbol-ribbon";
    }

    @Override
    public String getDisplayName() {
        return Messages.SignatureReportAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "signatures";
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    /** Builds saved by older versions may lack fields added since. */
    protected synchronized Object readResolve() {
        if (rows == null) {
            rows = new ArrayList<>();
        }
        return this;
    }
}
