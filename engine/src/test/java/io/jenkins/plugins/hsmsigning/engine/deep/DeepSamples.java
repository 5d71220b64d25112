package io.jenkins.plugins.hsmsigning.engine.deep;

import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.jar.JarSamples;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Containers for deep signing tests, built from the mingw PE sample, a mingw DLL and JDK-made JARs. */
final class DeepSamples {

    private static byte[] dll;

    private DeepSamples() {
    }

    static byte[] pe(Path dir) throws IOException {
        return Files.readAllBytes(AuthenticodeSamples.PE.copyTo(Files.createDirectories(dir.resolve("pe"))));
    }

    /** A real DLL (a PE with the DLL characteristic), compiled once with mingw-w64. */
    static synchronized byte[] dll(Path dir) throws IOException {
        if (dll == null) {
            ExternalTool.require("x86_64-w64-mingw32-gcc");
            Path work = Files.createDirectories(dir.resolve("dll"));
            Path c = Files.writeString(work.resolve("lib.c"), "__declspec(dllexport) int answer(void) { return 42; }\n");
            Path out = work.resolve("lib.dll");
            ExternalTool.runChecked(List.of("x86_64-w64-mingw32-gcc", "-shared", "-Os", "-s", "-o", out.toString(),
                    c.toString()));
            dll = Files.readAllBytes(out);
        }
        return dll.clone();
    }

    static byte[] jar(Path dir, String extension) throws IOException {
        Path work = Files.createDirectories(dir.resolve("jar-" + System.nanoTime()));
        return Files.readAllBytes(JarSamples.archive(work, extension));
    }

    /**
     * A ZIP archive of {@code entries} in order (null content: a directory), {@code stored} ones uncompressed, all
     * with a fixed old time, the first file with an extra field and a comment, the archive with a comment.
     */
    static Path zip(Path file, Map<String, byte[]> entries, Set<String> stored) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setComment("made by the deep signing tests");
            boolean first = true;
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setLastModifiedTime(FileTime.from(Instant.parse("2020-02-29T12:34:56Z")));
                byte[] data = e.getValue() == null ? new byte[0] : e.getValue();
                if (stored.contains(e.getKey()) || e.getValue() == null) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCrc(crc.getValue());
                }
                if (first && e.getValue() != null) {
                    entry.setExtra(new byte[] {(byte) 0xCA, (byte) 0xFE, 4, 0, 1, 2, 3, 4});
                    entry.setComment("the first file");
                    first = false;
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return file;
    }

    static Map<String, byte[]> entries(Object... nameThenContent) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            entries.put((String) nameThenContent[i], (byte[]) nameThenContent[i + 1]);
        }
        return entries;
    }

    /** An entry's content. */
    static byte[] read(Path zip, String name) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(name);
            if (entry == null) {
                throw new IOException(zip + " has no entry " + name);
            }
            try (InputStream in = file.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }
    }

    /** Extracts an entry to {@code dir}, under its last name segment. */
    static Path extract(Path zip, String name, Path dir) throws IOException {
        Path target = Files.createDirectories(dir).resolve(ZipLayout.baseName(name));
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(read(zip, name));
        }
        return target;
    }

    static List<String> names(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<String> names = new ArrayList<>();
            Collections.list(file.entries()).forEach(e -> names.add(e.getName()));
            return names;
        }
    }

    /**
     * Each entry's stored bytes: local header, compressed data and data descriptor, then its central record with the
     * local header's offset blanked out; equal bytes mean the entry was left exactly as it was.
     */
    static Map<String, byte[]> rawEntries(Path zip) {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            for (ZipLayout.Entry e : ZipLayout.read(channel, zip.toString()).entries()) {
                ByteBuffer span = ZipLayout.read(channel, e.localOffset(), (int) (e.spanEnd() - e.localOffset()));
                byte[] record = e.centralRecord().clone();
                int offsetAt = e.zip64At()[2] >= 0 ? e.zip64At()[2] : 42;
                java.util.Arrays.fill(record, offsetAt, offsetAt + (e.zip64At()[2] >= 0 ? 8 : 4), (byte) 0);
                ByteBuffer both = ByteBuffer.allocate(span.remaining() + record.length).put(span).put(record);
                raw.put(e.name(), both.array());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return raw;
    }

    /** Asserts that {@code names} kept exactly their stored bytes from {@code before} to {@code after}. */
    static void assertUntouched(Map<String, byte[]> before, Map<String, byte[]> after, String... names) {
        for (String name : names) {
            assertEquals(name + " changed", ByteBuffer.wrap(before.get(name)), ByteBuffer.wrap(after.get(name)));
        }
    }
}
