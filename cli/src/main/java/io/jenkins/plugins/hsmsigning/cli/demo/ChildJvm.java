package io.jenkins.plugins.hsmsigning.cli.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a main class again in a child JVM with extra environment variables, streaming its output into ours. The demo
 * needs this because SoftHSM2 reads {@code SOFTHSM2_CONF} from the process environment only, and a running JVM
 * cannot change its own environment.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Runs {@code mainClass} with this JVM's java and class path; returns the child's exit code. */
    public static int run(Class<?> mainClass, List<String> arguments, Map<String, String> environment,
            PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        Thread stdout = pump(process.getInputStream(), out);
        Thread stderr = pump(process.getErrorStream(), err);
        int exitCode = process.waitFor();
        stdout.join();
        stderr.join();
        return exitCode;
    }

    /** The running jar (or, in tests, the class path of the build), with absolute entries. */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Thread pump(InputStream from, PrintWriter to) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(from, Charset.defaultCharset()))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (to) {
                        to.println(line);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "hsmsign-child-output");
        thread.start();
        return thread;
    }
}
