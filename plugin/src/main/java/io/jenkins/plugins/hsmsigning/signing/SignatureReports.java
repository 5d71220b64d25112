package io.jenkins.plugins.hsmsigning.signing;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.engine.report.ApprovalEntry;
import io.jenkins.plugins.hsmsigning.engine.report.PolicyDecision;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Records entries on a build: rows in its {@link SignatureReportAction} (kept in {@code build.xml}) and the engine's
 * full report. The report is kept in the build's directory
 * ({@value #DIRECTORY}/{@value SignatureReportAction#REPORT_FILE}), where nothing the build runs can write, and read
 * back from there only, up to {@value #MAX_REPORT_BYTES} bytes; a copy is archived as
 * {@value SignatureReportAction#REPORT_FILE} for downloads. The archived copy is only an output:
 * a build that archives a file of that name cannot feed entries into the report. Several steps of one build, even in
 * parallel branches, add to the same action and report.
 */
final class SignatureReports {

    /** The report's directory under the build's directory. */
    static final String DIRECTORY = "hsm-signing";
    /** A larger kept report is not read (a build that signs this much should sign in fewer, larger steps). */
    static final long MAX_REPORT_BYTES = 32L * 1024 * 1024;

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

    /** The kept report of a build, in its directory. */
    static Path keptReport(Run<?, ?> run) {
        return run.getRootDir().toPath().resolve(DIRECTORY).resolve(SignatureReportAction.REPORT_FILE);
    }

    /**
     * @param decision the policy decision of the signing request the entries come from; null for verification
     */
    static void record(Run<?, ?> run, List<ReportEntry> entries, @CheckForNull PolicyDecision decision,
            RunContext context, TaskListener listener) throws IOException, InterruptedException {
        synchronized (LOCK) {
            SignatureReportAction action = run.getAction(SignatureReportAction.class);
            SignatureReport report = action == null ? new SignatureReport(context) : read(run, context);
            report.addAll(entries);
            if (decision != null) {
                report.addDecision(decision);
            }
            keep(run, report, listener);
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

    /** Approval events (docs/approvals.md) go into the report only: they sign nothing. */
    static void recordApprovals(Run<?, ?> run, List<ApprovalEntry> approvals, RunContext context,
            TaskListener listener) throws IOException, InterruptedException {
        synchronized (LOCK) {
            checkReportFileIsOurs(run);
            SignatureReportAction action = run.getAction(SignatureReportAction.class);
            SignatureReport report = action == null ? new SignatureReport(context) : read(run, context);
            report.addApprovals(approvals);
            keep(run, report, listener);
            if (action == null) {
                run.addAction(new SignatureReportAction());
            }
            run.save();
        }
    }

    private static void keep(Run<?, ?> run, SignatureReport report, TaskListener listener)
            throws IOException, InterruptedException {
        Path kept = keptReport(run);
        Files.createDirectories(kept.getParent());
        report.write(kept);
        ArchivedArtifacts.archive(run, kept.getParent(), Map.of(SignatureReportAction.REPORT_FILE,
                SignatureReportAction.REPORT_FILE), listener);
    }

    /** The report kept so far; a missing one (a build recorded by an older version) starts again here. */
    private static SignatureReport read(Run<?, ?> run, RunContext context) throws IOException {
        Path kept = keptReport(run);
        if (!Files.isRegularFile(kept)) {
            return new SignatureReport(context);
        }
        try {
            return SignatureReport.read(kept, MAX_REPORT_BYTES);
        } catch (IOException | RuntimeException e) {
            throw new AbortException("The signature report of this build, " + kept + ", cannot be read ("
                    + e.getMessage() + "), so no more entries can be added to it.");
        }
    }
}
