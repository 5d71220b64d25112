package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationKeys;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign export-public-key}: the signing key's public key as PEM, which consumers give to
 * {@code cosign verify-blob-attestation --key} (or {@code hsmsign verify --public-key}) to check attestations.
 */
@Command(name = "export-public-key", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = "Writes the public key of the signing key as PEM (-----BEGIN PUBLIC KEY-----).")
final class ExportPublicKeyCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    KeySourceOptions key;

    @Option(names = "--out", paramLabel = "FILE.pem", required = true, description = "Where to write the key.")
    Path out;

    @Override
    public Integer call() throws SigningException {
        Path file = app.resolve(out);
        OutputFiles.checkWritable(file, "--out");
        PublicKey publicKey;
        try (SigningKey signingKey = key.open(app)) {
            publicKey = signingKey.certificate().getPublicKey();
        }
        try {
            AtomicFiles.write(file, AttestationKeys.pem(publicKey).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The key file " + file + " cannot be written: " + e.getMessage()
                    + ".", e);
        }
        spec.commandLine().getOut().println("Wrote the public key " + AttestationKeys.hint(publicKey) + " to "
                + ArtifactArguments.displayPath(file, app.workDir()) + ".");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
