package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.attest.Attestations;
import io.jenkins.plugins.hsmsigning.engine.attest.BuildFacts;
import io.jenkins.plugins.hsmsigning.engine.attest.Subject;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign attest}: the SLSA v1 provenance of the given artifacts, and an attestation per SBOM, signed with the
 * key as Sigstore bundles, for builds that run outside Jenkins. Subjects are named by their path relative to the
 * working directory, where {@code hsmsign verify} looks for them again.
 */
@Command(name = "attest", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Signs the SLSA provenance of the artifacts (provenance.sigstore.json) and, with --sboms, an "
                + "attestation of each SBOM (SBOM.att.sigstore.json), as Sigstore bundles; the certificate chain "
                + "goes beside each (NAME.chain.pem).",
                "Artifacts must be below the working directory: their paths there are the subjects' names."})
final class AttestCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    KeySourceOptions key;

    @Option(names = "--builder-id", paramLabel = "URI", description = "Who built the artifacts, e.g. the CI job's "
            + "URL; required for the provenance.")
    String builderId;

    @Option(names = "--invocation-id", paramLabel = "URI", description = "This build, e.g. its URL.")
    String invocationId;

    @Option(names = "--job", paramLabel = "NAME", description = "The job or workflow that built them.")
    String job;

    @Option(names = "--branch", paramLabel = "NAME", description = "The branch that was built.")
    String branch;

    @Option(names = "--tag", paramLabel = "NAME", description = "The tag that was built.")
    String tag;

    @Option(names = "--source-repository", paramLabel = "URL", description = "The source repository.")
    String sourceRepository;

    @Option(names = "--source-commit", paramLabel = "SHA", description = "The commit that was built.")
    String sourceCommit;

    @Option(names = "--parameter", paramLabel = "NAME=VALUE", description = "A build parameter (never a secret); "
            + "repeatable.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--started-on", paramLabel = "TIME", description = "When the build started (ISO-8601, UTC).")
    Instant startedOn;

    @Option(names = "--provenance", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Sign the SLSA provenance (the default), or only the SBOM attestations.")
    boolean provenance;

    @Option(names = "--sboms", paramLabel = "FILE|GLOB", description = "CycloneDX or SPDX JSON SBOMs to attest, "
            + "each about the artifacts it describes; repeatable.")
    List<String> sboms = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE.sigstore.json", description = "Where the provenance goes (default: "
            + AttestationFiles.PROVENANCE + " in the working directory).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE.json|FILE.html", description = "Also write the signature report "
            + "here, as JSON or HTML by the extension; checked before anything is signed.")
    Path report;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "FILE|GLOB", description = "The artifacts the provenance is about.")
    List<String> files;

    @Override
    public Integer call() throws SigningException {
        ReportFile reportFile = ReportFile.of(report, app);
        if (provenance && (builderId == null || builderId.isBlank())) {
            throw new ParameterException(spec.commandLine(), "The provenance needs --builder-id URI (who built the"
                    + " artifacts), or use --no-provenance to attest SBOMs only.");
        }
        if (branch != null && tag != null) {
            throw new ParameterException(spec.commandLine(), "Give --branch or --tag, not both.");
        }
        if (!provenance && sboms.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--no-provenance leaves nothing to attest: add --sboms.");
        }
        List<Subject> subjects = Attestations.subjectsOfFiles(belowWorkDir(ArtifactArguments.expand(files,
                app.workDir()), "artifact"));
        List<String> sbomPaths = sboms.isEmpty() ? List.of()
                : belowWorkDir(ArtifactArguments.expand(sboms, app.workDir()), "--sboms").stream()
                        .map(Artifact::displayPath).toList();
        String provenancePath = provenancePath();
        long start = System.nanoTime();
        SignatureReport signatures = new SignatureReport(app.runContext("attest"));
        try (SigningKey signingKey = key.open(app)) {
            signatures.addAll(Attestations.attest(signingKey, app.workDir(), subjects,
                    provenance ? facts() : null, provenancePath, sbomPaths));
        }
        new ReportPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), output)
                .print(signatures, ReportEntry.SIGN, start);
        if (reportFile != null) {
            reportFile.write(signatures);
        }
        return ExitCodes.of(signatures.entries());
    }

    private BuildFacts facts() {
        BuildFacts.Builder facts = BuildFacts.builder(builderId).invocationId(invocationId).job(job)
                .version("hsmsign", HsmSign.class.getPackage().getImplementationVersion())
                .startedOn(startedOn).finishedOn(Instant.now());
        if (branch != null) {
            facts.head(new BuildFacts.Head(BuildFacts.Head.BRANCH, branch));
        } else if (tag != null) {
            facts.head(new BuildFacts.Head(BuildFacts.Head.TAG, tag));
        }
        if (sourceRepository != null || sourceCommit != null) {
            facts.source(sourceRepository, sourceCommit, branch != null ? "refs/heads/" + branch
                    : tag != null ? "refs/tags/" + tag : null);
        }
        parameters.forEach(facts::parameter);
        return facts.build();
    }

    /** Relative to the working directory, as subjects are named. */
    private String provenancePath() {
        if (out == null) {
            return AttestationFiles.PROVENANCE;
        }
        Path file = app.resolve(out);
        String path = ArtifactArguments.displayPath(file, app.workDir());
        if (!file.startsWith(app.workDir()) || !AttestationFiles.isBundle(path)) {
            throw new ParameterException(spec.commandLine(), "--out must name a file ending in "
                    + AttestationFiles.BUNDLE_SUFFIX + " below the working directory, not " + out + ".");
        }
        return path;
    }

    private List<Artifact> belowWorkDir(List<Artifact> artifacts, String what) {
        for (Artifact artifact : artifacts) {
            if (!artifact.file().startsWith(app.workDir())) {
                throw new ParameterException(spec.commandLine(), "The " + what + " " + artifact.displayPath()
                        + " is not below the working directory " + app.workDir() + ": run hsmsign attest from the"
                        + " directory the artifacts are published from.");
            }
        }
        return artifacts;
    }
}
