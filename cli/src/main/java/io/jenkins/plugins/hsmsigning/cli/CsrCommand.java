package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.TokenObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hsmsign csr}: a PKCS#10 request signed by the token key, for the CA that issues the signing certificate. */
@Command(name = "csr", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Writes a PKCS#10 certificate request (PEM) for a key on the token, signed by that key "
                + "(SHA-256). It requests key usage digitalSignature and extended key usage codeSigning unless "
                + "--eku says otherwise; the CA decides what the certificate finally holds."})
final class CsrCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Mixin
    KeySourceOptions key;

    @Option(names = "--subject", paramLabel = "DN", required = true,
            description = "The subject, e.g. \"CN=Acme Release Signing,O=Acme,C=DE\".")
    String subject;

    @Option(names = "--eku", paramLabel = "PURPOSE", description = "codeSigning (the default), timeStamping, "
            + "emailProtection or none; repeatable.")
    List<String> purposes = new ArrayList<>();

    @Option(names = "--email", paramLabel = "ADDRESS", description = "An e-mail subject alternative name; "
            + "repeatable.")
    List<String> emails = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE.csr", required = true, description = "Where to write the request.")
    Path out;

    @Override
    public Integer call() throws SigningException {
        Path file = app.resolve(out);
        OutputFiles.checkWritable(file, "--out");
        if (key.keyAlias == null) {
            throw new ParameterException(spec.commandLine(), "Give the key with --key-alias (its label on the token; "
                    + "list-keys shows them).");
        }
        X500Name name;
        try {
            name = new X500Name(subject);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--subject '" + subject + "' is not a distinguished "
                    + "name such as \"CN=Acme Release Signing,O=Acme\".");
        }
        Extensions extensions = extensions();
        byte[] request;
        try (TokenObjects token = key.openToken(app)) {
            request = token.certificationRequest(key.keyAlias, name, extensions);
        }
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(request)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        try {
            AtomicFiles.write(file, pem.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The request " + file + " given by --out cannot be written: "
                    + e.getMessage() + ".", e);
        }
        spec.commandLine().getOut().println("Wrote the certificate request for '" + key.keyAlias + "' to "
                + ArtifactArguments.displayPath(file, app.workDir()) + ".");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private Extensions extensions() {
        try {
            ExtensionsGenerator generator = new ExtensionsGenerator();
            generator.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            List<KeyPurposeId> ids = new ArrayList<>();
            for (String purpose : purposes.isEmpty() ? List.of("codeSigning") : purposes) {
                switch (purpose.toLowerCase(Locale.ROOT)) {
                    case "codesigning" -> ids.add(KeyPurposeId.id_kp_codeSigning);
                    case "timestamping" -> ids.add(KeyPurposeId.id_kp_timeStamping);
                    case "emailprotection" -> ids.add(KeyPurposeId.id_kp_emailProtection);
                    case "none" -> { }
                    default -> throw new ParameterException(spec.commandLine(), "Unknown --eku '" + purpose
                            + "': use codeSigning, timeStamping, emailProtection or none.");
                }
            }
            if (!ids.isEmpty()) {
                generator.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(ids.toArray(KeyPurposeId[]::new)));
            }
            if (!emails.isEmpty()) {
                generator.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(emails.stream()
                        .map(e -> new GeneralName(GeneralName.rfc822Name, e)).toArray(GeneralName[]::new)));
            }
            return generator.generate();
        } catch (IOException e) {
            throw new IllegalStateException("extensions always encode", e);
        }
    }
}
