package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.deep.DeepSigner;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hsmsign sign}: maps the options onto the engine's {@link SigningOptions} and signs in one login. */
@Command(name = "sign", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Signs artifacts. Embedded formats (authenticode, jar) are signed in place; detached "
                + "signatures go beside the file (FILE.p7s, FILE.asc) or into --out.",
                "Quoted globs such as 'dist/**/*.exe' are expanded relative to the working directory."})
final class SignCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    KeySourceOptions key;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "auto (the default: the file's embedded format, else cms), cms, pgp, authenticode or jar; "
                    + "repeat it for several formats.")
    List<String> formats = new ArrayList<>();

    @Option(names = "--tsa", paramLabel = "URL", description = "RFC 3161 time-stamp authority; repeat it for "
            + "fallbacks. Without it nothing is timestamped and nothing is contacted.")
    List<String> tsa = new ArrayList<>();

    @Option(names = "--timestamp-required", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fail when no time-stamp authority answers (the default), or only warn.")
    boolean timestampRequired;

    @Option(names = "--digest", paramLabel = "ALGORITHM", defaultValue = "SHA-256",
            description = "SHA-256 (the default), SHA-384 or SHA-512.")
    String digest;

    @Option(names = "--pss", description = "RSA-PSS instead of PKCS#1 v1.5 padding for RSA keys.")
    boolean pss;

    @Option(names = "--replace", description = "Authenticode: replace the signatures a file already carries. "
            + "Without it they are kept and the new signature is nested after them (an earlier signature by the "
            + "same certificate and digest is replaced either way, so signing twice adds nothing).")
    boolean replace;

    @Option(names = "--trust", paramLabel = "FILE.pem", description = "Roots your customers trust; repeatable. Every "
            + "signature's certificate chain must lead to one of them, else the artifact is not signed and the "
            + "missing certificate is named.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where detached signatures go, at the artifact's "
            + "relative path (default: beside the artifact).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Also write the signature report here.")
    Path report;

    @Mixin
    DeepOptions deep;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "FILE|GLOB", description = "The artifacts to sign.")
    List<String> files;

    @Override
    public Integer call() throws SigningException, InterruptedException {
        SigningOptions options = SigningOptions.defaults().formats(formats()).digest(DigestAlgorithm.parse(digest))
                .pss(pss).timestamps(TimestampSettings.of(tsa, timestampRequired))
                .outputDirectory(out == null ? null : app.resolve(out)).replaceSignatures(replace)
                .trustAnchors(trustAnchors()).chainFile(key.chainFileCertificates(app));
        List<Artifact> artifacts = ArtifactArguments.expand(files, app.workDir());
        long start = System.nanoTime();
        SignatureReport signatures = new SignatureReport(app.runContext("sign"));
        ReportPrinter printer = new ReportPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), output);
        SigningKey signingKey;
        try {
            signingKey = key.open(app);
        } catch (SigningException e) {
            reportUnsigned(signatures, artifacts, e, start);
            throw e;
        }
        try (signingKey) {
            signatures.addAll(deep.deep
                    ? new DeepSigner(signingKey, options, deep.selection()).signAll(artifacts, key.signingThreads(),
                            printer::live)
                    : new ArtifactSigner(signingKey, options).signAll(artifacts, key.signingThreads(), printer::live));
        }
        printer.finish(signatures, ReportEntry.SIGN, start);
        writeReport(signatures);
        return ExitCodes.of(signatures.entries());
    }

    /**
     * When the key cannot be used, a build that collects the report still gets one: every artifact as not signed,
     * with the reason. The error itself is reported as usual.
     */
    private void reportUnsigned(SignatureReport signatures, List<Artifact> artifacts, SigningException e, long start)
            throws SigningException {
        if (report == null) {
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        for (Artifact artifact : artifacts) {
            signatures.add(ReportEntry.failure(ReportEntry.SIGN, artifact.displayPath(), null, Failure.of(e.kind()),
                    Reasons.sentence(e.getMessage()), millis));
        }
        writeReport(signatures);
    }

    private void writeReport(SignatureReport signatures) throws SigningException {
        if (report == null) {
            return;
        }
        Path file = app.resolve(report);
        try {
            signatures.write(file);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The report " + file + " cannot be written: " + e.getMessage()
                    + ".", e);
        }
    }

    private List<X509Certificate> trustAnchors() throws SigningException {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path file : trust) {
            anchors.addAll(CertificateChains.read(app.resolve(file)));
        }
        return anchors;
    }

    /** "auto" is the engine's empty set, so it cannot be combined with a named format. */
    private Set<Format> formats() throws SigningException {
        Set<Format> parsed = EnumSet.noneOf(Format.class);
        boolean auto = false;
        for (String name : formats) {
            if (name.trim().equalsIgnoreCase("auto")) {
                auto = true;
            } else {
                parsed.add(Format.parse(name));
            }
        }
        if (auto && !parsed.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--format auto picks one format by itself, so it cannot "
                    + "be combined with other formats.");
        }
        return parsed;
    }
}
