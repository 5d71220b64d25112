package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.SignerVerdict;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign inspect}: shows what signatures files carry without deciding whether to trust them. It runs the
 * engine's verifier in inspection mode (integrity, algorithms and timestamps checked, trust not judged): a signature
 * that checks out is {@code INTACT}, never {@code VERIFIED}, and one whose key is unknown is {@code UNCHECKED}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Shows every signature each file carries (embedded, clear-signed, or FILE.p7s / FILE.asc "
                + "beside it): each signer, the algorithms, the timestamp. It never judges trust: a signature that "
                + "matches the file is INTACT, one whose key is unknown UNCHECKED; use verify for a verdict.",
                "Exits with 0 when every file carries a signature (broken or not: inspect gives no verdict), 1 "
                        + "when one carries none, 4 when one cannot be read."})
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "FILE|GLOB", description = "The files to inspect.")
    List<String> files;

    @Override
    public Integer call() throws SigningException {
        Verifier verifier = new Verifier(VerificationOptions.inspection());
        List<ReportEntry> entries = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        for (Artifact artifact : ArtifactArguments.expand(files, app.workDir())) {
            List<ReportEntry> found = verifier.verify(artifact.file(), artifact.displayPath());
            entries.addAll(found);
            if (!output.json && !output.quiet) {
                out.println(artifact.displayPath() + ":");
                found.forEach(e -> describe(e, out));
            }
        }
        if (output.json) {
            SignatureReport report = new SignatureReport(app.runContext("inspect"));
            report.addAll(entries);
            out.println(report.toJson());
        }
        out.flush();
        List<ReportEntry> unsigned = entries.stream().filter(InspectCommand::noSignature).toList();
        if (output.quiet) {
            unsigned.forEach(e -> spec.commandLine().getErr().println(e.reason()));
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.of(unsigned);
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
                : " in " + e.signatureFile()) + ": " + describe(e.status()));
        List<SignerVerdict> signers = e.signers() == null ? List.of() : e.signers();
        if (signers.size() > 1) {
            for (int i = 0; i < signers.size(); i++) {
                SignerVerdict s = signers.get(i);
                out.println("    signature " + (i + 1) + " of " + signers.size() + ": " + describe(s.status()));
                signer(out, s.signer(), "      ", "pgp".equals(e.format()));
                row(out, "      ", "algorithm", s.algorithm());
                row(out, "      ", "made", s.signedAt() == null ? null : s.signedAt() + " (as the signature says)");
                row(out, "      ", "timestamp", s.timestamp() == null ? null
                        : s.timestamp().time() + " by " + s.timestamp().authority());
                row(out, "      ", "problem", s.reason());
            }
        } else {
            signer(out, e.signer(), "    ", "pgp".equals(e.format()));
        }
        if (e.chain() != null) {
            row(out, "    ", "expires", e.chain().get(0).notAfter().toString());
            for (CertificateDetails issuer : e.chain().subList(1, e.chain().size())) {
                row(out, "    ", "chain", issuer.subject() + ", expires " + issuer.notAfter());
            }
        }
        if (signers.size() <= 1) {
            row(out, "    ", "digest", e.digestAlgorithm());
            row(out, "    ", "algorithm", e.algorithm() != null ? e.algorithm() : e.signatureAlgorithm());
            SignerVerdict only = signers.isEmpty() ? null : signers.get(0);
            row(out, "    ", "made", only == null || only.signedAt() == null ? null
                    : only.signedAt() + " (as the signature says)");
            row(out, "    ", "timestamp", e.timestamp() == null ? "none"
                    : e.timestamp().time() + " by " + e.timestamp().authority());
            if (e.status() == Status.UNCHECKED) {
                row(out, "    ", "trust", "not judged (that is what verify does, given the key)");
            } else if (e.failed()) {
                row(out, "    ", "problem", e.reason());
            }
        } else if (e.failed()) {
            row(out, "    ", "problem", e.reason());
        }
        row(out, "    ", "trust", e.status() == Status.INTACT ? "not judged (that is what verify does)" : null);
        e.warnings().forEach(w -> row(out, "    ", "warning", w));
    }

    private static String describe(Status status) {
        return switch (status) {
            case INTACT -> "intact (matches the file; trust not judged)";
            case UNCHECKED -> "not checked (its key is not known here)";
            case FAILED -> "FAILED";
            default -> status.name();
        };
    }

    /** For OpenPGP keys the serial number is the key id and the fingerprint the OpenPGP one. */
    private static void signer(PrintWriter out, SignerDetails signer, String indent, boolean pgp) {
        if (signer != null) {
            row(out, indent, "signer", signer.subject());
            row(out, indent, "issuer", signer.issuer());
            row(out, indent, pgp ? "key id" : "serial", signer.serialNumber());
            row(out, indent, pgp ? "fingerprint" : "SHA-256", signer.sha256Fingerprint());
        }
    }

    private static void row(PrintWriter out, String indent, String label, String value) {
        if (value != null) {
            out.printf("%s%-10s %s%n", indent, label, value);
        }
    }
}
