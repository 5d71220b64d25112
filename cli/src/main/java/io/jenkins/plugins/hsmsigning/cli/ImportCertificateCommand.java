package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.keys.TokenObjects;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign import-certificate}: stores the issued certificate beside its key with the same CKA_ID and label,
 * which is what makes the key usable for signing (SunPKCS11 sees only keys with such a certificate).
 */
@Command(name = "import-certificate", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Stores the certificate issued for a token key on the token, with the key's CKA_ID and "
                + "label, after checking that it certifies that key. Issuer certificates stay in a file for "
                + "--cert-chain."})
final class ImportCertificateCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    KeySourceOptions key;

    @Parameters(paramLabel = "CERTIFICATE", description = "The issued certificate (PEM or DER; of a bundle, the "
            + "first certificate).")
    Path certificateFile;

    @Override
    public Integer call() throws SigningException {
        if (key.keyAlias == null) {
            throw new ParameterException(spec.commandLine(), "Give the key with --key-alias (its label on the token; "
                    + "list-keys shows them).");
        }
        List<X509Certificate> certificates = CertificateChains.read(app.resolve(certificateFile));
        try (TokenObjects token = key.openToken(app)) {
            token.importCertificate(key.keyAlias, certificates.get(0));
        }
        spec.commandLine().getOut().println("Stored the certificate " + certificates.get(0).getSubjectX500Principal()
                .getName() + " with the key '" + key.keyAlias + "'; sign with --key-alias " + key.keyAlias + ".");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
