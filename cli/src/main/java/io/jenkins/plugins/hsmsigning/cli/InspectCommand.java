package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign inspect}: shows what signatures a file carries without deciding whether to trust them. It runs the
 * engine's verifier in inspection mode (integrity, algorithms and timestamps checked, trust not judged).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows the signatures a file carries (embedded, or FILE.p7s / FILE.asc beside it): signer, "
                + "algorithms, timestamp. It does not judge trust; use verify for that.",
                "Exits with 0 when the file carries a signature, 1 when it carries none."})
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "FILE", description = "The file to inspect.")
    Path file;

    @Override
    public Integer call() {
        Path resolved = app.resolve(file);
        String displayPath = ArtifactArguments.displayPath(resolved, app.workDir());
        List<ReportEntry> entries = new Verifier(VerificationOptions.inspection())
                .verify(resolved, displayPath);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            SignatureReport report = new SignatureReport(app.runContext("inspect"));
            report.addAll(entries);
            out.println(report.toJson());
        } else if (!output.quiet) {
            out.println(displayPath + ":");
            entries.forEach(e -> describe(e, out));
        }
        out.flush();
        ReportEntry first = entries.get(0);
        if (entries.stream().allMatch(InspectCommand::noSignature)) {
            if (output.quiet) {
                spec.commandLine().getErr().println(first.reason());
                spec.commandLine().getErr().flush();
            }
            return first.failure() == Failure.INPUT_ERROR ? ExitCodes.INPUT : ExitCodes.VERIFICATION_FAILED;
        }
        return ExitCodes.OK;
    }

    /** An entry that describes no signature: a missing file, none found, or a damaged file of no known format. */
    private static boolean noSignature(ReportEntry e) {
        return e.failed() && e.format() == null;
    }

    private static void describe(ReportEntry e, PrintWriter out) {
        if (noSignature(e)) {
            out.println("  " + e.reason());
            return;
        }
        out.println("  " + e.format() + " signature" + (e.signatureFile() == null ? " (embedded)"
                : " in " + e.signatureFile()));
        SignerDetails signer = e.signer();
        if (signer != null) {
            row(out, "signer", signer.subject());
            row(out, "issuer", signer.issuer());
            row(out, "serial", signer.serialNumber());
            row(out, "SHA-256", signer.sha256Fingerprint());
        }
        if (e.chain() != null) {
            row(out, "expires", e.chain().get(0).notAfter().toString());
            for (CertificateDetails issuer : e.chain().subList(1, e.chain().size())) {
                row(out, "chain", issuer.subject() + ", expires " + issuer.notAfter());
            }
        }
        row(out, "digest", e.digestAlgorithm());
        row(out, "algorithm", e.signatureAlgorithm());
        row(out, "timestamp", e.timestamp() == null ? "none"
                : e.timestamp().time() + " by " + e.timestamp().authority());
        if (e.failure() == Failure.UNTRUSTED) {
            row(out, "trust", "not judged (that is what verify does): " + e.reason());
        } else if (e.failed()) {
            row(out, "problem", e.reason());
        }
        e.warnings().forEach(w -> row(out, "warning", w));
    }

    private static void row(PrintWriter out, String label, String value) {
        if (value != null) {
            out.printf("    %-10s %s%n", label, value);
        }
    }
}
