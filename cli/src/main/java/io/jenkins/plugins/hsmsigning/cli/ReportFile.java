package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.cli.demo.HtmlReport;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code --report} file: JSON or HTML by its extension, and checked before any work, so that an artifact is never
 * signed only for its report to be lost at the end.
 */
final class ReportFile {

    private final Path file;
    private final boolean html;

    private ReportFile(Path file, boolean html) {
        this.file = file;
        this.html = html;
    }

    /** {@code null} without {@code --report}; a usage error when the file cannot be written or has no known type. */
    static ReportFile of(Path option, HsmSign app) throws SigningException {
        if (option == null) {
            return null;
        }
        Path file = app.resolve(option);
        Path fileName = file.getFileName();
        String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        boolean html = name.endsWith(".html") || name.endsWith(".htm");
        if (!html && !name.endsWith(".json")) {
            throw new SigningException(Kind.CONFIGURATION, "The report " + file + " given by --report must end in "
                    + ".json or .html (the format is taken from the extension).");
        }
        OutputFiles.checkWritable(file, "--report");
        return new ReportFile(file, html);
    }

    /** Writes atomically: readers never see half a report. */
    void write(SignatureReport report) throws SigningException {
        String content = html ? HtmlReport.render(report) : report.toJson();
        try {
            AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The report " + file + " given by --report cannot be written: "
                    + e.getMessage() + ".", e);
        }
    }
}
