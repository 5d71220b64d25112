package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationKeys;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationVerifier;
import io.jenkins.plugins.hsmsigning.engine.attest.ProvenanceExpectations;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.openpgp.PGPPublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hsmsign verify}: what a consumer of signed artifacts runs, with no token and no Jenkins. */
@Command(name = "verify", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Verifies every signature of each file: the embedded one and FILE.p7s / FILE.asc beside it "
                + "(or under --signatures). Exits with 0 only when every file verifies.",
                "Attestation bundles (*.sigstore.json, named or matched) are verified too: signature, trust (a "
                        + "--public-key, or NAME.chain.pem beside the bundle chaining to --trust), every subject "
                        + "against the file at its path below the working directory, and the --expected-* values."})
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Option(names = "--trust", paramLabel = "FILE.pem", description = "Trusted root or issuer certificates for "
            + "CMS, Authenticode and JAR signatures and their timestamps; repeatable.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--pgp-key", paramLabel = "FILE.asc", description = "Trusted OpenPGP public key for .asc "
            + "signatures (as written by export-pgp-key); repeatable.")
    List<Path> pgpKeys = new ArrayList<>();

    @Option(names = "--public-key", paramLabel = "FILE.pem", description = "Trusted public key for attestation "
            + "bundles (as written by export-public-key); repeatable.")
    List<Path> publicKeys = new ArrayList<>();

    @Option(names = "--expected-builder-id", paramLabel = "URI", description = "Provenance must name this builder.")
    String expectedBuilderId;

    @Option(names = "--expected-source-repository", paramLabel = "URL",
            description = "Provenance must name this source repository.")
    String expectedSourceRepository;

    @Option(names = "--expected-branch", paramLabel = "NAME", description = "Provenance must name this branch.")
    String expectedBranch;

    @Option(names = "--signatures", paramLabel = "DIR", description = "Where the detached signatures are, at the "
            + "artifact's relative path (as written by sign --out).")
    Path signatures;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "FILE|GLOB", description = "The artifacts to verify.")
    List<String> files;

    @Override
    public Integer call() throws SigningException {
        if (trust.isEmpty() && pgpKeys.isEmpty() && publicKeys.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Give what to trust: --trust FILE.pem for CMS, "
                    + "Authenticode and JAR signatures, --pgp-key FILE.asc for OpenPGP ones, --public-key FILE.pem "
                    + "for attestations.");
        }
        VerificationOptions options = VerificationOptions.trusting(certificates()).withPgpKeys(pgpKeys())
                .withSignatureDirectory(signatures == null ? null : app.resolve(signatures));
        ArtifactArguments.Expanded expanded = ArtifactArguments.expandWithBundles(files, app.workDir(), true);
        long start = System.nanoTime();
        Verifier verifier = new Verifier(options);
        SignatureReport report = new SignatureReport(app.runContext("verify"));
        for (Artifact artifact : expanded.artifacts()) {
            report.addAll(verifier.verify(artifact.file(), artifact.displayPath()));
        }
        AttestationVerifier attestations = new AttestationVerifier(options, List.of(), publicKeys(),
                new ProvenanceExpectations(expectedBuilderId, expectedSourceRepository, expectedBranch));
        for (Artifact bundle : expanded.bundles()) {
            report.add(attestations.verify(bundle.file(), bundle.displayPath(), app.workDir()));
        }
        new ReportPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), output)
                .print(report, ReportEntry.VERIFY, start);
        return ExitCodes.of(report.entries());
    }

    private List<X509Certificate> certificates() throws SigningException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Path file : trust) {
            certificates.addAll(CertificateChains.read(app.resolve(file)));
        }
        return certificates;
    }

    private List<PublicKey> publicKeys() throws SigningException {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : publicKeys) {
            Path resolved = app.resolve(file);
            try {
                keys.addAll(AttestationKeys.readPem(Files.readString(resolved, StandardCharsets.US_ASCII),
                        resolved.toString()));
            } catch (IOException e) {
                throw new SigningException(Kind.CONFIGURATION, "The public key file " + resolved
                        + " given by --public-key cannot be read.", e);
            }
        }
        return keys;
    }

    private List<PGPPublicKey> pgpKeys() throws SigningException {
        List<PGPPublicKey> keys = new ArrayList<>();
        for (Path file : pgpKeys) {
            Path resolved = app.resolve(file);
            try {
                keys.addAll(PgpKeys.read(Files.readAllBytes(resolved), resolved.toString()));
            } catch (IOException e) {
                throw new SigningException(Kind.CONFIGURATION, "The OpenPGP key file " + resolved
                        + " given by --pgp-key cannot be read.", e);
            }
        }
        return keys;
    }
}
