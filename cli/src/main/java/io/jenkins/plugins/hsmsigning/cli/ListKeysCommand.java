package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.TokenObjects;
import io.jenkins.plugins.hsmsigning.engine.keys.TokenObjects.KeyInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hsmsign list-keys}: the token's private keys, with or without a certificate, as onboarding starts. */
@Command(name = "list-keys", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Lists the private keys of a PKCS#11 token: alias (CKA_LABEL, what --key-alias takes), CKA_ID, "
                + "algorithm, and the certificate stored with the same CKA_ID (subject and expiry) or 'no "
                + "certificate' (then: csr, and import-certificate once it is issued)."})
final class ListKeysCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    KeySourceOptions key;

    @Override
    public Integer call() throws SigningException {
        List<KeyInfo> keys;
        try (TokenObjects token = key.openToken(app)) {
            keys = token.keys();
        }
        PrintWriter out = spec.commandLine().getOut();
        int alias = Math.max(5, keys.stream().mapToInt(k -> k.alias().length()).max().orElse(0));
        int id = Math.max(6, keys.stream().mapToInt(k -> k.id().length()).max().orElse(0));
        int algorithm = Math.max(9, keys.stream().mapToInt(k -> k.algorithm().length()).max().orElse(0));
        String format = "%-" + alias + "s  %-" + id + "s  %-" + algorithm + "s  %-20s  %s%n";
        out.printf(Locale.ROOT, format, "ALIAS", "CKA_ID", "ALGORITHM", "EXPIRES", "CERTIFICATE");
        for (KeyInfo k : keys) {
            out.printf(Locale.ROOT, format, k.alias(), k.id(), k.algorithm(), k.certificate() == null ? "-"
                    : k.certificate().getNotAfter().toInstant().toString(), k.certificate() == null
                    ? "no certificate" : k.certificate().getSubjectX500Principal().getName());
        }
        if (keys.isEmpty()) {
            out.println("The token holds no private key.");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
