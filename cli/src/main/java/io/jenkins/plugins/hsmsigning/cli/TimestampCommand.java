package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.restamp.Restamping;
import io.jenkins.plugins.hsmsigning.engine.restamp.Restamping.Restamped;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.io.PrintWriter;
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
 * {@code hsmsign timestamp}: adds RFC 3161 timestamps to signatures made without one (an authority was down, or none
 * was configured), so that they outlive their certificate without signing again; the engine's {@link Restamping}
 * does the work. No key is needed: a timestamp covers the signature value, which is already there.
 */
@Command(name = "timestamp", mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Adds an RFC 3161 timestamp to signatures made without one: the embedded signature of a "
                + "signed FILE (Authenticode: PE, MSI, CAB, CAT, scripts, APPX/MSIX, NuGet; JAR, WAR, EAR) and its "
                + "detached FILE.p7s, whichever it has, after checking each against the file. Signatures that "
                + "already carry a timestamp are left as they are; a file is replaced only by a complete result "
                + "that verifies.",
                "Exits with 0 when every signature carries a timestamp afterwards, 1 when one does not match its "
                        + "file, 3 when no authority answered, 4 when a file or signature is missing, unreadable or "
                        + "its signer certificate has expired."})
final class TimestampCommand implements Callable<Integer> {

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

    @Parameters(arity = "1..*", paramLabel = "FILE|GLOB", description = "Signed files (or their .p7s signatures); "
            + "@FILE lists them.")
    List<String> files;

    @Override
    public Integer call() throws SigningException {
        Restamping restamping = new Restamping(new Timestamper(
                tsaConnection.apply(TimestampSettings.of(tsa, true), app, proxy)));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = ExitCodes.OK;
        for (Artifact artifact : ArtifactArguments.expand(files, app.workDir())) {
            try {
                for (Restamped result : restamping.restamp(artifact.file(), artifact.displayPath())) {
                    out.println(line(result));
                }
            } catch (SigningException e) {
                err.println("FAILED       " + artifact.displayPath() + ": " + e.getMessage());
                code = worse(code, ExitCodes.of(e.kind()));
            }
        }
        out.flush();
        err.flush();
        return code;
    }

    private static String line(Restamped result) {
        if (!result.changed()) {
            return String.format("%-12s %s", "unchanged", result.signatureName() + " (already timestamped)");
        }
        return String.format("%-12s %s  %s by %s", "timestamped", result.signatureName(), result.timestamp().time(),
                result.timestamp().authority());
    }

    private static int worse(int current, int candidate) {
        if (current == ExitCodes.OK) {
            return candidate;
        }
        return ExitCodes.PRECEDENCE.indexOf(candidate) < ExitCodes.PRECEDENCE.indexOf(current) ? candidate : current;
    }
}
