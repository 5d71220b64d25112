package io.jenkins.plugins.hsmsigning.signing;

import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.engine.report.ApprovalEntry;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Records entries on a build: rows in its {@link SignatureReportAction} (kept in {@code build.xml}) and the engine's
 * full report, archived as {@value SignatureReportAction#REPORT_FILE}. Several steps of one build, even in parallel
 * branches, add to the same action and report.
 */
final class SignatureReports {

    /** Recording is short (one small file); one lock for all builds keeps it simple and free of lock ordering. */
    private static final Object LOCK = new Object();

    private SignatureReports() {
    }

    /** The report is archived as signatures.json; an artifact of that name archived by the build would be lost. */
    static void checkReportFileIsOurs(Run<?, ?> run) throws IOException {
        if (run.getAction(SignatureReportAction.class) == null
                && ArchivedArtifacts.isFile(run, SignatureReportAction.REPORT_FILE)) {
            throw new AbortException("This build archived an artifact named " + SignatureReportAction.REPORT_FILE
                    + ", which the signature report would replace; rename it.");
        }
    }

    static void record(Run<?, ?> run, List<ReportEntry> entries, RunContext context, TaskListener listener)
            throws IOException, InterruptedException {
        synchronized (LOCK) {
            SignatureReportAction action = run.getAction(SignatureReportAction.class);
            SignatureReport report = action == null ? new SignatureReport(context) : read(run, context, listener);
            report.addAll(entries);
            write(run, report, listener);
            if (action == null) {
                action = new SignatureReportAction();
                action.add(entries);
                run.addAction(action);
            } else {
                action.add(entries);
            }
            run.save();
        }
    }

    /** Approval events (approvals, docs/approvals.md) go into the archived report only: they sign nothing. */
    static void recordApprovals(Run<?, ?> run, List<ApprovalEntry> approvals, RunContext context,
            TaskListener listener) throws IOException, InterruptedException {
        synchronized (LOCK) {
            checkReportFileIsOurs(run);
            SignatureReportAction action = run.getAction(SignatureReportAction.class);
            SignatureReport report = action == null ? new SignatureReport(context) : read(run, context, listener);
            report.addApprovals(approvals);
            write(run, report, listener);
            if (action == null) {
                run.addAction(new SignatureReportAction());
            }
            run.save();
        }
    }

    private static SignatureReport read(Run<?, ?> run, RunContext context, TaskListener listener) {
        try {
            if (ArchivedArtifacts.isFile(run, SignatureReportAction.REPORT_FILE)) {
                try (InputStream in = ArchivedArtifacts.open(run, SignatureReportAction.REPORT_FILE)) {
                    return SignatureReport.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | RuntimeException e) {
            listener.getLogger().println("The signature report " + SignatureReportAction.REPORT_FILE
                    + " archived earlier in this build cannot be read (" + e.getMessage()
                    + "); it is replaced by one that starts here.");
        }
        return new SignatureReport(context);
    }

    private static void write(Run<?, ?> run, SignatureReport report, TaskListener listener)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(run.getRootDir().toPath(), "hsm-signing-report-");
        try {
            report.write(dir.resolve(SignatureReportAction.REPORT_FILE));
            ArchivedArtifacts.archive(run, dir, Map.of(SignatureReportAction.REPORT_FILE,
                    SignatureReportAction.REPORT_FILE), listener);
        } finally {
            Util.deleteRecursive(dir.toFile());
        }
    }
}
