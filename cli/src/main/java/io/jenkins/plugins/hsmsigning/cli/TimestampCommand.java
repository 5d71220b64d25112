package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.cms.CmsTimestamping;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign timestamp}: adds RFC 3161 timestamps to detached CMS signatures made without one (an authority was
 * down, or none was configured), so that they outlive their certificate without signing again. No key is needed: a
 * timestamp covers the signature value, which is already there.
 */
@Command(name = "timestamp", mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Adds an RFC 3161 timestamp to each FILE.p7s that has none, after checking that it matches "
                + "FILE. Signatures that already carry a timestamp are left as they are. Embedded signatures "
                + "(Authenticode, JAR) cannot be timestamped later: sign them again with --tsa.",
                "Exits with 0 when every signature carries a timestamp afterwards, 1 when one does not match its "
                        + "file, 3 when no authority answered, 4 when a signature is missing or unreadable."})
final class TimestampCommand implements Callable<Integer> {

    private static final String CMS_SUFFIX = ".p7s";

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Option(names = "--tsa", paramLabel = "URL", required = true, description = "RFC 3161 time-stamp authority; "
            + "repeat it for fallbacks.")
    List<String> tsa;

    @Mixin
    TsaConnectionOptions tsaConnection;

    @Option(names = "--proxy", paramLabel = "HOST:PORT", description = "HTTP proxy for the time-stamp authorities.")
    String proxy;

    @Parameters(arity = "1..*", paramLabel = "FILE|GLOB", description = "Signed files (or their .p7s signatures).")
    List<String> files;

    @Override
    public Integer call() throws SigningException {
        CmsTimestamping stamping = new CmsTimestamping(new Timestamper(
                tsaConnection.apply(TimestampSettings.of(tsa, true), app, proxy)));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = ExitCodes.OK;
        for (Artifact artifact : ArtifactArguments.expand(files, app.workDir())) {
            try {
                out.println(stamp(stamping, artifact));
            } catch (SigningException e) {
                err.println("FAILED       " + artifact.displayPath() + ": " + e.getMessage());
                code = worse(code, ExitCodes.of(e.kind()));
            }
        }
        out.flush();
        err.flush();
        return code;
    }

    private static String stamp(CmsTimestamping stamping, Artifact given) throws SigningException {
        String path = given.file().toString();
        boolean signatureGiven = path.endsWith(CMS_SUFFIX);
        Path signature = signatureGiven ? given.file() : Path.of(path + CMS_SUFFIX);
        String signatureName = signatureGiven ? given.displayPath() : given.displayPath() + CMS_SUFFIX;
        Path artifact = signatureGiven ? Path.of(stripSuffix(path)) : given.file();
        String artifactName = signatureGiven ? stripSuffix(given.displayPath()) : given.displayPath();
        if (!Files.isRegularFile(signature)) {
            throw new SigningException(Kind.INPUT, "There is no detached signature " + signatureName
                    + "; only detached CMS signatures can be timestamped later (sign embedded formats again with"
                    + " --tsa).");
        }
        if (!Files.isRegularFile(artifact)) {
            throw new SigningException(Kind.INPUT, "The signed file " + artifactName + " of " + signatureName
                    + " does not exist, so the signature cannot be checked before it is timestamped.");
        }
        CmsTimestamping.Stamped stamped = stamping.addTimestamps(read(signature, signatureName), signatureName,
                artifact, artifactName);
        if (!stamped.changed()) {
            return String.format("%-12s %s", "unchanged", signatureName + " (already timestamped)");
        }
        replace(signature, signatureName, stamped.signature());
        return String.format("%-12s %s  %s by %s", "timestamped", signatureName, stamped.timestamp().time(),
                stamped.timestamp().authority());
    }

    private static String stripSuffix(String name) {
        return name.substring(0, name.length() - CMS_SUFFIX.length());
    }

    private static byte[] read(Path file, String name) throws SigningException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The signature " + name + " cannot be read.", e);
        }
    }

    /** Replaces the signature file only with the complete result, never leaving half a file. */
    private static void replace(Path file, String name, byte[] content) throws SigningException {
        try {
            Path temp = Files.createTempFile(file.resolveSibling(""), ".hsmsign-", ".tmp");
            try {
                Files.write(temp, content);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The timestamped signature could not be written to " + name
                    + ".", e);
        }
    }

    private static int worse(int current, int candidate) {
        if (current == ExitCodes.OK) {
            return candidate;
        }
        return ExitCodes.PRECEDENCE.indexOf(candidate) < ExitCodes.PRECEDENCE.indexOf(current) ? candidate : current;
    }
}
