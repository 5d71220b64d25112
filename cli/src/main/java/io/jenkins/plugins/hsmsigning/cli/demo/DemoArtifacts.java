package io.jenkins.plugins.hsmsigning.cli.demo;

import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.GZIPOutputStream;

/**
 * Sample artifacts made without external tools: a text file and a compressed binary for the detached formats, and
 * samples of embedded formats (a JAR, a PowerShell script) that are kept only when the engine recognises them, so
 * the demo shows every format this build can sign and none it cannot.
 */
public final class DemoArtifacts {

    private DemoArtifacts() {
    }

    /** Files that get detached CMS and OpenPGP signatures. */
    public static List<Path> detached(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path text = Files.writeString(dir.resolve("README.txt"), "hsmsign demo\n\nThis file was signed with a "
                + "throwaway key. Change a byte and verification fails.\n", StandardCharsets.UTF_8);
        Path binary = dir.resolve("app-1.0.bin.gz");
        byte[] payload = new byte[64 * 1024];
        new Random(1).nextBytes(payload);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(binary))) {
            out.write(payload);
        }
        return List.of(text, binary);
    }

    /** Samples of the embedded formats the engine recognises; the others are not left behind. */
    public static List<Path> embedded(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> kept = new ArrayList<>();
        for (Path sample : List.of(jar(dir.resolve("hello.jar")), script(dir.resolve("hello.ps1")))) {
            if (Formats.recognize(sample) != null) {
                kept.add(sample);
            } else {
                Files.delete(sample);
            }
        }
        return kept;
    }

    private static Path jar(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Created-By"), "hsmsign demo");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            jar.putNextEntry(new JarEntry("hello/hello.txt"));
            jar.write("Hello from the hsmsign demo.\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return file;
    }

    private static Path script(Path file) throws IOException {
        return Files.writeString(file, "Write-Output 'Hello from the hsmsign demo.'\r\n", StandardCharsets.UTF_8);
    }
}
