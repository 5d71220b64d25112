package io.jenkins.plugins.hsmsigning.engine.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs independent tools (openssl, osslsigncode, gpg, pkcs11-tool, ...) for cross-checks. Children inherit this
 * process's environment, so {@code SOFTHSM2_CONF} set by Surefire reaches them.
 */
public final class ExternalTool {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private ExternalTool() {
    }

    /** Fails the test (never skips it) when {@code tool} is not on the {@code PATH}. */
    public static void require(String tool) {
        if (which(tool).isEmpty()) {
            throw new AssertionError("required tool " + tool + " is not installed (.ci/run installs it)");
        }
    }

    /** The executable named {@code tool} on the {@code PATH}, if any. */
    public static Optional<Path> which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code command} in the current directory with a two-minute timeout. */
    public static ToolResult run(List<String> command) {
        return run(command, Map.of(), null, DEFAULT_TIMEOUT);
    }

    /** Like {@link #run(List)}, but throws {@link IllegalStateException} with the output on a non-zero exit code. */
    public static ToolResult runChecked(List<String> command) {
        ToolResult result = run(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                    + result.exitCode() + ":\n" + result.output());
        }
        return result;
    }

    /**
     * Runs {@code command} with {@code extraEnv} added to the inherited environment.
     *
     * @param workDir working directory, or {@code null} for the current one
     * @throws AssertionError if the tool does not finish within {@code timeout} (it is then killed)
     */
    public static ToolResult run(List<String> command, Map<String, String> extraEnv, Path workDir, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("tool-", ".out");
            err = Files.createTempFile("tool-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(extraEnv);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + read(out) + read(err));
            }
            return new ToolResult(process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
