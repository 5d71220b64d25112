package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The two ways every command is tested: in this JVM through picocli with captured output, and as a separate JVM
 * ({@code java -cp <test class path> HsmSign}), which is what {@code java -jar hsmsign.jar} does minus the shading.
 * Child processes inherit {@code SOFTHSM2_CONF} from Surefire.
 */
public enum Cli {
    IN_PROCESS {
        @Override
        ToolResult run(Path workDir, Map<String, String> env, List<String> args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine commandLine = HsmSign.commandLine(
                    new HsmSign(workDir, name -> env.containsKey(name) ? env.get(name) : System.getenv(name)));
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            int exitCode = commandLine.execute(args.toArray(String[]::new));
            return new ToolResult(exitCode, out.toString(), err.toString());
        }
    },
    SEPARATE_PROCESS {
        @Override
        ToolResult run(Path workDir, Map<String, String> env, List<String> args) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), HsmSign.class.getName()));
            command.addAll(args);
            return ExternalTool.run(command, env, workDir, Duration.ofMinutes(3));
        }
    };

    /** Runs {@code hsmsign args} in {@code workDir}; {@code env} adds to (in-process: overrides) the environment. */
    abstract ToolResult run(Path workDir, Map<String, String> env, List<String> args);
}
