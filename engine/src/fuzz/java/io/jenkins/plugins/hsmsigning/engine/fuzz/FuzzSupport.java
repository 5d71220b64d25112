package io.jenkins.plugins.hsmsigning.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What the fuzz tests share: a scratch directory, templates (every embedded kind, unsigned and signed by the test
 * token, and a small JAR), structure-aware mutations of them driven by the fuzzer's bytes, and the invariants every
 * report entry must keep: a FAILED entry has one sentence (one line, no Java exception text) naming the artifact.
 */
final class FuzzSupport {

    /** File names that steer detection: by content for binaries, by extension for scripts. */
    static final List<String> NAMES = List.of("fuzz.exe", "fuzz.dll", "fuzz.msi", "fuzz.cab", "fuzz.cat", "fuzz.ps1",
            "fuzz.vbs", "fuzz.js", "fuzz.wsf", "fuzz.appx", "fuzz.nupkg", "fuzz.jar", "fuzz.zip", "fuzz.bin");

    private static Path scratch;
    private static Map<String, byte[]> unsigned;
    private static Map<String, byte[]> signed;
    private static SigningKey key;

    private FuzzSupport() {
    }

    /** An empty directory for one input, below this JVM's scratch directory. */
    static synchronized Path freshDirectory() {
        try {
            if (scratch == null) {
                scratch = Files.createTempDirectory("hsmsign-fuzz");
            }
            return Files.createTempDirectory(scratch, "in");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test token's RSA-3072 key, whose subject the APPX sample names as its publisher. */
    static synchronized SigningKey key() throws SigningException {
        if (key == null) {
            key = TestKeys.open(SoftHsmToken.RSA3072);
        }
        return key;
    }

    /** Unsigned samples by file name: every Authenticode kind and a JAR. */
    static synchronized Map<String, byte[]> unsignedTemplates() throws Exception {
        if (unsigned == null) {
            Path dir = freshDirectory();
            Map<String, byte[]> map = new LinkedHashMap<>();
            for (AuthenticodeSamples sample : AuthenticodeSamples.values()) {
                map.put(sample.fileName(), Files.readAllBytes(sample.copyTo(dir)));
            }
            map.put("hello.jar", jar());
            unsigned = map;
        }
        return unsigned;
    }

    /** The same samples signed in place by {@link ArtifactSigner} (Authenticode or JAR). */
    static synchronized Map<String, byte[]> signedTemplates() throws Exception {
        if (signed == null) {
            Path dir = freshDirectory();
            Map<String, byte[]> map = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> t : unsignedTemplates().entrySet()) {
                Path file = Files.write(dir.resolve(t.getKey()), t.getValue());
                Format format = t.getKey().endsWith(".jar") ? Format.JAR : Format.AUTHENTICODE;
                List<ReportEntry> entries = new ArtifactSigner(key(), SigningOptions.defaults()
                        .formats(Set.of(format))).sign(file, t.getKey());
                if (entries.get(0).status() != Status.SIGNED) {
                    throw new IllegalStateException("cannot sign the template " + t.getKey() + ": " + entries);
                }
                map.put("signed-" + t.getKey(), Files.readAllBytes(file));
            }
            signed = map;
        }
        return signed;
    }

    /**
     * A template changed by up to eight edits the fuzzer chooses: a byte, a little-endian 16- or 32-bit value (sizes,
     * offsets, counts), a run of bytes, or a cut; offsets wrap around the current length.
     */
    static byte[] mutate(byte[] template, FuzzedDataProvider data) {
        byte[] bytes = template.clone();
        int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits && bytes.length > 0; i++) {
            int at = Math.floorMod(data.consumeInt(), bytes.length);
            switch (data.consumeInt(0, 4)) {
                case 0 -> bytes[at] = data.consumeByte();
                case 1 -> {
                    if (at + 2 <= bytes.length) {
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(at, data.consumeShort());
                    }
                }
                case 2 -> {
                    if (at + 4 <= bytes.length) {
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, data.consumeInt());
                    }
                }
                case 3 -> {
                    byte[] run = data.consumeBytes(64);
                    System.arraycopy(run, 0, bytes, at, Math.min(run.length, bytes.length - at));
                }
                default -> bytes = Arrays.copyOf(bytes, at);
            }
        }
        return bytes;
    }

    /**
     * Writes the file a fuzz input became to the directory named by the system property {@code fuzz.dump}, if set:
     * to turn a finding into a regular test, run the test in regression mode on the crash file and look at the file.
     */
    static void dump(String name, byte[] bytes) {
        String dir = System.getProperty("fuzz.dump");
        if (dir != null && !dir.isEmpty()) {
            try {
                Files.write(Files.createDirectories(Path.of(dir)).resolve(name), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A FAILED entry's reason is one sentence naming the artifact; a signing failure never changes the artifact. */
    static void checkEntry(ReportEntry entry, String displayPath) {
        if (entry.status() != Status.FAILED) {
            return;
        }
        checkSentence(entry.reason(), displayPath);
        if (entry.failure() == null) {
            throw new IllegalStateException("a FAILED entry without a failure code: " + entry);
        }
    }

    static void checkSentence(String reason, String displayPath) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalStateException("a failure without a reason");
        }
        if (reason.contains("\n") || reason.contains("\r")) {
            throw new IllegalStateException("a reason of several lines: " + reason);
        }
        // names taken from the file are quoted, '?' standing for quotes in them; they may say anything
        String own = reason.replaceAll("'[^']*'", "''");
        if (own.contains("Exception") || own.contains("java.") || own.contains("\tat ")) {
            throw new IllegalStateException("Java exception text in a reason: " + reason);
        }
        if (!reason.contains(displayPath)) {
            throw new IllegalStateException("a reason that does not name " + displayPath + ": " + reason);
        }
    }

    /** No temporary file of the engine is left in {@code dir}. */
    static void checkNoTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).findFirst()
                    .ifPresent(p -> {
                        throw new IllegalStateException("temporary file left behind: " + p);
                    });
        }
    }

    private static byte[] jar() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\r\nCreated-By: fuzz\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("com/example/Hello.class"));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61});
            zip.putNextEntry(new ZipEntry("com/example/messages.properties"));
            zip.write("greeting=hello\n".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
