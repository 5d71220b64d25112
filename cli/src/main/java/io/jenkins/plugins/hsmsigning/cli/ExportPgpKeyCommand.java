package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign export-pgp-key}: the OpenPGP public key of the token's key, which consumers import into gpg once
 * to check the {@code .asc} signatures. Its fingerprint is stable, so exporting again gives the same key.
 */
@Command(name = "export-pgp-key", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = "Writes the OpenPGP public key of the signing key, self-certified with a user id.")
final class ExportPgpKeyCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    KeySourceOptions key;

    @Option(names = "--user-id", paramLabel = "\"NAME <EMAIL>\"",
            description = "The key's user id (default: the certificate's common name and e-mail address).")
    String userId;

    @Option(names = "--out", paramLabel = "FILE.asc", required = true, description = "Where to write the key.")
    Path out;

    @Override
    public Integer call() throws SigningException {
        Path file = app.resolve(out);
        OutputFiles.checkWritable(file, "--out");
        String armored;
        String fingerprint;
        try (SigningKey signingKey = key.open(app)) {
            armored = PgpKeys.exportArmored(signingKey, userId);
            fingerprint = PgpKeys.fingerprint(PgpKeys.publicKey(signingKey.certificate()));
        }
        try {
            AtomicFiles.write(file, armored.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The key file " + file + " cannot be written: " + e.getMessage()
                    + ".", e);
        }
        spec.commandLine().getOut().println("Wrote the OpenPGP public key " + fingerprint + " to "
                + ArtifactArguments.displayPath(file, app.workDir()) + ".");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
