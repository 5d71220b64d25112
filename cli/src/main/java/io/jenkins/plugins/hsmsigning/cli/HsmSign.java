package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hsmsign} command line: the engine without Jenkins, for consumers who verify, release engineers who try a
 * token, and newcomers who run the demo. The working directory and the environment are injected so that tests can
 * run every command in-process exactly as a shell would.
 */
@Command(name = "hsmsign", mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = "Signs, verifies and inspects artifacts with a key on a PKCS#11 token (or a PKCS#12 file).",
        subcommands = {SignCommand.class, VerifyCommand.class, InspectCommand.class, ExportPgpKeyCommand.class,
                AttestCommand.class, ExportPublicKeyCommand.class, ListKeysCommand.class, CsrCommand.class,
                ImportCertificateCommand.class, TimestampCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:everything was signed or verified",
                " 1:a signature did not verify",
                " 2:usage or configuration error",
                " 3:key, token, PIN or timestamp error",
                " 4:input error: a file is missing, unreadable or of the wrong format",
                "70:internal error (please report it with the --debug output)"},
        footer = {"%nWith several kinds of failure, 1 wins (a bad signature is never hidden), then 2, 3, 4.",
                "Arguments @FILE are replaced by the lines of FILE.",
                "%nRun 'hsmsign demo' to see everything work with a throwaway key."})
public final class HsmSign {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error (never a PIN).")
    boolean debug;

    private final Path workDir;
    private final Function<String, String> environment;

    public HsmSign() {
        this(Path.of("").toAbsolutePath(), System::getenv);
    }

    /** For embedding and tests: relative paths and globs are taken from {@code workDir}, PINs from {@code env}. */
    public HsmSign(Path workDir, Function<String, String> environment) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new HsmSign()).execute(args));
    }

    /** The command line with the error handling that turns failures into one sentence and a documented exit code. */
    public static CommandLine commandLine(HsmSign app) {
        CommandLine commandLine = new CommandLine(app);
        Errors errors = new Errors();
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionExceptionHandler(errors);
        return commandLine;
    }

    Path workDir() {
        return workDir;
    }

    /** {@code path} as given if absolute, else relative to the working directory. */
    Path resolve(Path path) {
        return workDir.resolve(path).normalize();
    }

    String environment(String name) {
        return environment.apply(name);
    }

    RunContext runContext(String command) {
        return RunContext.now(System.getProperty("user.name"), Map.of("command", "hsmsign " + command,
                "workingDirectory", workDir.toString()));
    }

    /** The version from the jar's manifest; classes run from a build directory have none. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HsmSign.class.getPackage().getImplementationVersion();
            return new String[] {"hsmsign " + (version == null ? "(development build)" : version)};
        }
    }
}
