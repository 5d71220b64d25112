package io.jenkins.plugins.hsmsigning.model;

import hudson.model.Api;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.ArrayList;
import java.util.List;
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
