package io.jenkins.plugins.hsmsigning.engine.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.AssumptionViolatedException;

/**
 * Runs independent tools (openssl, osslsigncode, gpg, pkcs11-tool, ...) for cross-checks. Children inherit this
 * process's environment, so {@code SOFTHSM2_CONF} set by Surefire reaches them.
 *
 * <p>Every test's need for a tool goes through {@link #require(String)} (also called by {@link #run}): a missing
 * tool skips the test with a message naming it, or fails it when the build sets {@value #REQUIRE_PROPERTY}
 * ({@code .ci/run} does). A tool counts as present when it is an executable on the {@code PATH} (JDK tools such as
 * {@code jarsigner} are taken from {@code java.home}); on Windows only JDK tools count, because the tests drive the
 * others the way their Debian packages work. Removing a tool's directory from the {@code PATH} is how its absence is
 * tested ({@code .ci/without-native-tools}).
 */
public final class ExternalTool {

    /** {@code -Dhsm.tests.requireNativeTools=true}: a missing tool fails the test instead of skipping it. */
    public static final String REQUIRE_PROPERTY = "hsm.tests.requireNativeTools";

    /** Guards against a hung tool only; no test depends on how long a tool takes. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private ExternalTool() {
    }

    /**
     * Skips the calling test when {@code tool} is not installed, or fails it when {@value #REQUIRE_PROPERTY} is
     * {@code true}.
     */
    public static void require(String tool) {
        if (which(tool).isEmpty()) {
            missing(tool + " is not installed (on the PATH)");
        }
    }

    /**
     * The outcome of a missing native dependency described by {@code what}: an {@link AssumptionViolatedException}
     * (the test is skipped) or, when the build requires the native tools, an {@link AssertionError}.
     */
    public static void missing(String what) {
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            throw new AssertionError(what + "; " + REQUIRE_PROPERTY + "=true requires it (.ci/run installs it)");
        }
        throw new AssumptionViolatedException(what + "; test skipped (-D" + REQUIRE_PROPERTY
                + "=true fails instead)");
    }

    /** The executable named {@code tool}: a JDK tool from {@code java.home}, else one on the {@code PATH}. */
    public static Optional<Path> which(String tool) {
        Path given = Path.of(tool);
        if (given.isAbsolute()) {
            return Files.isExecutable(given) ? Optional.of(given) : Optional.empty();
        }
        Path jdkTool = Path.of(System.getProperty("java.home"), "bin", WINDOWS ? tool + ".exe" : tool);
        if (Files.isRegularFile(jdkTool) && Files.isExecutable(jdkTool)) {
            return Optional.of(jdkTool);
        }
        if (WINDOWS) {
            return Optional.empty();
        }
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
     * <p>The tool is {@linkplain #require(String) required} first, and run from where {@link #which} found it.
     *
     * @throws AssertionError if the tool hangs past {@code timeout} (it is then killed)
     */
    public static ToolResult run(List<String> command, Map<String, String> extraEnv, Path workDir, Duration timeout) {
        String tool = command.get(0);
        require(tool);
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, which(tool).orElseThrow().toString());
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("tool-", ".out");
            err = Files.createTempFile("tool-", ".err");
            ProcessBuilder builder = new ProcessBuilder(resolved)
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
                throw new AssertionError(String.join(" ", command) + " hung: no exit within " + timeout + ":\n"
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
