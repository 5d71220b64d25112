package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.deep.DeepSigner;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.prehash.Prehash;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
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
        versionProvider = HsmSign.Version.class,
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
                    + "repeat it for several formats. auto combines with cms and pgp: --format auto --format pgp "
                    + "embeds where possible and writes FILE.asc for every file.")
    List<String> formats = new ArrayList<>();

    @Option(names = "--tsa", paramLabel = "URL", description = "RFC 3161 time-stamp authority; repeat it for "
            + "fallbacks. Without it nothing is timestamped and nothing is contacted.")
    List<String> tsa = new ArrayList<>();

    @Option(names = "--timestamp-required", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fail when no time-stamp authority answers (the default), or only warn.")
    boolean timestampRequired;

    @Mixin
    TsaConnectionOptions tsaConnection;

    @Option(names = "--digest", paramLabel = "ALGORITHM", defaultValue = "SHA-256",
            description = "SHA-256 (the default), SHA-384 or SHA-512.")
    String digest;

    @Option(names = "--pss", description = "RSA-PSS instead of PKCS#1 v1.5 padding for RSA keys.")
    boolean pss;

    @Option(names = "--replace", description = "Authenticode: replace the signatures a file already carries. "
            + "Without it they are kept and the new signature is nested after them (an earlier signature by the "
            + "same certificate and digest is replaced either way, so signing twice adds nothing).")
    boolean replace;

    @Option(names = "--name", paramLabel = "TEXT", description = "Authenticode: the program name shown by Windows "
            + "(as osslsigncode -n and jsign --name).")
    String programName;

    @Option(names = "--url", paramLabel = "URL", description = "Authenticode: the program's web page (as "
            + "osslsigncode -i and jsign --url).")
    String programUrl;

    @Option(names = "--trust", paramLabel = "FILE.pem", description = "Roots your customers trust; repeatable. Every "
            + "signature's certificate chain must lead to one of them, else the artifact is not signed and the "
            + "missing certificate is named.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where detached signatures go, at the artifact's "
            + "relative path (default: beside the artifact).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.html", description = "Also write the signature report "
            + "here, as JSON or HTML by the extension; checked before anything is signed.")
    Path report;

    @Mixin
    DeepOptions deep;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "FILE|GLOB", description = "The artifacts to sign.")
    List<String> files;

    @Override
    public Integer call() throws SigningException, InterruptedException {
        ReportFile reportFile = ReportFile.of(report, app);
        SigningOptions options = formats(SigningOptions.defaults()).digest(DigestAlgorithm.parse(digest))
                .pss(pss).timestamps(tsaConnection.apply(TimestampSettings.of(tsa, timestampRequired), app,
                        key.service.proxy))
                .outputDirectory(out == null ? null : app.resolve(out)).replaceSignatures(replace)
                .programName(programName).programUrl(programUrl)
                .trustAnchors(trustAnchors()).chainFile(key.chainFileCertificates(app));
        List<Artifact> artifacts = ArtifactArguments.expand(files, app.workDir());
        long start = System.nanoTime();
        SignatureReport signatures = new SignatureReport(app.runContext("sign"));
        ReportPrinter printer = new ReportPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), output);
        // Detached signatures: the artifacts are read and hashed while the provider is set up and the token logs in.
        Prehash prehash = deep.deep ? null : Prehash.start(artifacts.stream().map(Artifact::file).toList(), options);
        SigningKey signingKey;
        try {
            signingKey = key.open(app);
        } catch (SigningException e) {
            if (prehash != null) {
                prehash.close();
            }
            reportUnsigned(signatures, artifacts, e, start, reportFile, printer);
            throw e;
        }
        try (signingKey; prehash) {
            signatures.addAll(new CliTerms(app).reword(deep.deep
                    ? new DeepSigner(signingKey, options, deep.selection()).signAll(artifacts, key.signingThreads(),
                            done -> { })
                    : new ArtifactSigner(signingKey, options, prehash).signAll(artifacts, key.signingThreads())));
        }
        printer.print(signatures, ReportEntry.SIGN, start);
        warnWithoutTimestamp(signatures);
        if (reportFile != null) {
            reportFile.write(signatures);
        }
        return ExitCodes.of(signatures.entries());
    }

    /** Said when signing, not only when a consumer verifies years later. */
    private void warnWithoutTimestamp(SignatureReport signatures) {
        boolean untimestamped = signatures.entries().stream().anyMatch(e -> !e.failed() && e.timestamp() == null
                && !Format.PGP.id().equals(e.format()));
        if (tsa.isEmpty() && untimestamped && !output.quiet) {
            spec.commandLine().getErr().println("warning: no --tsa given, so the signatures carry no timestamp and "
                    + "stop verifying when the signing certificate expires.");
            spec.commandLine().getErr().flush();
        }
    }

    /**
     * When the key cannot be used, a build that collects the report (--report or --json) still gets one: every
     * artifact as not signed, with the reason. The error itself is reported as usual.
     */
    private void reportUnsigned(SignatureReport signatures, List<Artifact> artifacts, SigningException e, long start,
            ReportFile reportFile, ReportPrinter printer) throws SigningException {
        long millis = (System.nanoTime() - start) / 1_000_000;
        for (Artifact artifact : artifacts) {
            signatures.add(ReportEntry.failure(ReportEntry.SIGN, artifact.displayPath(), null, Failure.of(e.kind()),
                    new CliTerms(app).reword(Reasons.sentence(e.getMessage())), millis));
        }
        if (output.json) {
            printer.print(signatures, ReportEntry.SIGN, start);
        }
        if (reportFile != null) {
            reportFile.write(signatures);
        }
    }

    private List<X509Certificate> trustAnchors() throws SigningException {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path file : trust) {
            anchors.addAll(CertificateChains.read(app.resolve(file)));
        }
        return anchors;
    }

    /** "auto" is the engine's empty set; with detached formats beside it, auto plus those for every file. */
    private SigningOptions formats(SigningOptions defaults) throws SigningException {
        Set<Format> parsed = EnumSet.noneOf(Format.class);
        boolean auto = false;
        for (String name : formats) {
            if (name.trim().equalsIgnoreCase("auto")) {
                auto = true;
            } else {
                parsed.add(Format.parse(name));
            }
        }
        if (!auto) {
            return defaults.formats(parsed);
        }
        for (Format format : parsed) {
            if (!format.detached()) {
                throw new ParameterException(spec.commandLine(), "--format auto picks the embedded format by "
                        + "itself, so it combines only with cms and pgp, not with " + format.id() + ".");
            }
        }
        return defaults.autoAnd(parsed);
    }
}
