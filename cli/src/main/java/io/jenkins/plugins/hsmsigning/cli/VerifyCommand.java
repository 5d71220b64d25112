package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationKeys;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationVerifier;
import io.jenkins.plugins.hsmsigning.engine.attest.ProvenanceExpectations;
import io.jenkins.plugins.hsmsigning.engine.deep.DeepVerifier;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.revocation.Crls;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationChecker;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationMode;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationSettings;
import io.jenkins.plugins.hsmsigning.engine.verify.SystemTrust;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.X509Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509CRL;
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
        versionProvider = HsmSign.Version.class,
        description = {"Verifies every signature of each file: the embedded one and FILE.p7s / FILE.asc beside it "
                + "(or under --signatures). Exits with 0 only when every file verifies.",
                "Attestation bundles (*.sigstore.json, named or matched) are verified too: signature, trust (a "
                        + "--public-key, or NAME.chain.pem beside the bundle chaining to --trust), every subject "
                        + "against the file at its path below the working directory, and the --expected-* values."})
final class VerifyCommand implements Callable<Integer> {

    private static final String SYSTEM = "system";

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Option(names = "--trust", paramLabel = "FILE.pem|system", description = "Trusted root certificates for CMS, "
            + "Authenticode and JAR signatures and their timestamps, or 'system' for the Java runtime's CA "
            + "certificates; repeatable.")
    List<String> trust = new ArrayList<>();

    @Option(names = "--cert", paramLabel = "FILE.pem", description = "Certificates that help build paths "
            + "(intermediates, or the signer's certificate of a signature made without certificates); never trusted "
            + "by themselves; repeatable.")
    List<Path> certificates = new ArrayList<>();

    @Option(names = "--tsa-trust", paramLabel = "FILE.pem|system", description = "Trusted roots for time-stamp "
            + "authorities only; without it, timestamps chain to the --trust anchors; repeatable.")
    List<String> tsaTrust = new ArrayList<>();

    @Option(names = "--revocation", paramLabel = "off|soft|strict", description = "Revocation checking: off, soft "
            + "(the default: a revoked certificate fails, an unknown status is a warning) or strict (an unknown status "
            + "fails too).")
    String revocation;

    @Option(names = "--crl", paramLabel = "FILE", description = "A certificate revocation list (PEM or DER) to check "
            + "against; repeatable.")
    List<Path> crls = new ArrayList<>();

    @Option(names = "--revocation-online", description = "Also ask the OCSP responders and CRL distribution points "
            + "that the certificates name (only for chains that reach a trust anchor; 10 s per request, no "
            + "redirects). Off by default: those URLs come with the signature.")
    boolean revocationOnline;

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

    @Option(names = "--report", paramLabel = "FILE.json|FILE.html", description = "Also write the verification "
            + "report here, as JSON or HTML by the extension; checked before anything is verified.")
    Path reportOption;

    @Mixin
    DeepOptions deep;

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
        ReportFile reportFile = ReportFile.of(reportOption, app);
        VerificationOptions options = VerificationOptions.trusting(anchors(trust, "--trust")).withPgpKeys(pgpKeys())
                .withSignatureDirectory(signatures == null ? null : app.resolve(signatures)).withX509(x509());
        ArtifactArguments.Expanded expanded = ArtifactArguments.expandWithBundles(files, app.workDir(), true);
        long start = System.nanoTime();
        Verifier verifier = new Verifier(options);
        CliTerms terms = new CliTerms(app);
        DeepVerifier deepVerifier = new DeepVerifier(options, deep.selection());
        SignatureReport report = new SignatureReport(app.runContext("verify"));
        for (Artifact artifact : expanded.artifacts()) {
            report.addAll(terms.reword(deep.deep ? deepVerifier.verify(artifact.file(), artifact.displayPath())
                    : verifier.verify(artifact.file(), artifact.displayPath())));
        }
        AttestationVerifier attestations = new AttestationVerifier(options, List.of(), publicKeys(),
                new ProvenanceExpectations(expectedBuilderId, expectedSourceRepository, expectedBranch));
        for (Artifact bundle : expanded.bundles()) {
            report.add(attestations.verify(bundle.file(), bundle.displayPath(), app.workDir()));
        }
        new ReportPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), output)
                .print(report, ReportEntry.VERIFY, start);
        if (reportFile != null) {
            reportFile.write(report);
        }
        return ExitCodes.of(report.entries());
    }

    /** Certificate files, or {@code system} for the Java runtime's CA certificates (write ./system for a file). */
    private List<X509Certificate> anchors(List<String> values, String option) throws SigningException {
        List<X509Certificate> anchors = new ArrayList<>();
        for (String value : values) {
            if (value.equals(SYSTEM)) {
                anchors.addAll(SystemTrust.anchors());
            } else {
                anchors.addAll(certificates(Path.of(value), option));
            }
        }
        return anchors;
    }

    private X509Options x509() throws SigningException {
        List<X509Certificate> pathHelp = new ArrayList<>();
        for (Path file : certificates) {
            pathHelp.addAll(certificates(file, "--cert"));
        }
        List<X509CRL> lists = new ArrayList<>();
        for (Path file : crls) {
            lists.addAll(Crls.read(app.resolve(file), "--crl"));
        }
        RevocationMode mode = RevocationMode.parse(revocation, "--revocation");
        return new X509Options(pathHelp, anchors(tsaTrust, "--tsa-trust"), new RevocationChecker(
                RevocationSettings.of(mode, lists, revocationOnline)));
    }

    private List<X509Certificate> certificates(Path file, String option) throws SigningException {
        Path resolved = app.resolve(file);
        try {
            return CertificateChains.read(resolved);
        } catch (SigningException e) {
            throw new SigningException(Kind.CONFIGURATION, Reasons.clean(e.getMessage()) + " (given by " + option
                    + ").", e);
        }
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
            } catch (SigningException e) {
                throw new SigningException(Kind.CONFIGURATION, Reasons.clean(e.getMessage()) + " (given by "
                        + "--pgp-key).", e);
            } catch (IOException e) {
                throw new SigningException(Kind.CONFIGURATION, "The OpenPGP key file " + resolved
                        + " given by --pgp-key cannot be read.", e);
            }
        }
        return keys;
    }
}
