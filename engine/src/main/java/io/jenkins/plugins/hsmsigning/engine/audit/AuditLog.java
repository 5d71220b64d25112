package io.jenkins.plugins.hsmsigning.engine.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * An append-only file of JSON lines, one per signing operation. Each line is written with a single write and
 * forced to disk; a line cut short by a crash is closed off before the next one, and readers skip it, so a crash
 * never breaks another line.
 */
public final class AuditLog {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** How much of the file one backward step reads. */
    private static final int CHUNK = 64 * 1024;
    /** Longer "lines" are damage, not records: they are skipped rather than held in memory. */
    private static final int MAX_LINE = 1024 * 1024;

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    /** A record as the log writes it: one line of JSON, without its line end. */
    public static String toJson(AuditRecord record) throws IOException {
        return JSON.writeValueAsString(record);
    }

    public Path file() {
        return file;
    }

    public synchronized void append(List<AuditRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (AuditRecord record : records) {
            lines.append(toJson(record)).append('\n');
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null) {
            Files.createDirectories(directory);
        }
        if (cutShort(file)) {
            lines.insert(0, '\n');
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
    }

    /**
     * Newest first, at most {@code limit} records that pass {@code filter}. The file is read backwards from its end
     * and only as far as needed, so the newest page of a log of years costs what a short log does.
     */
    public synchronized List<AuditRecord> read(int limit, Predicate<AuditRecord> filter) throws IOException {
        List<AuditRecord> records = new ArrayList<>();
        if (limit <= 0 || !Files.exists(file)) {
            return records;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = channel.size();
            byte[] lineEnd = new byte[0];
            boolean skippingLongLine = false;
            while (position > 0) {
                int n = (int) Math.min(CHUNK, position);
                position -= n;
                ByteBuffer chunk = ByteBuffer.allocate(n + lineEnd.length);
                readFully(channel, chunk.limit(n), position);
                chunk.limit(chunk.capacity()).position(n);
                chunk.put(lineEnd);
                byte[] bytes = chunk.array();
                int end = bytes.length;
                for (int i = n - 1; i >= 0; i--) {
                    if (bytes[i] == '\n') {
                        if (!skippingLongLine) {
                            accept(bytes, i + 1, end, filter, records);
                            if (records.size() >= limit) {
                                return records;
                            }
                        }
                        skippingLongLine = false;
                        end = i;
                    }
                }
                lineEnd = Arrays.copyOfRange(bytes, 0, end);
                if (lineEnd.length > MAX_LINE) {
                    skippingLongLine = true;
                    lineEnd = new byte[0];
                }
            }
            if (!skippingLongLine) {
                accept(lineEnd, 0, lineEnd.length, filter, records);
            }
        }
        return records;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("the audit log shrank while it was read");
            }
        }
    }

    private static void accept(byte[] bytes, int from, int to, Predicate<AuditRecord> filter,
            List<AuditRecord> records) {
        AuditRecord record = parse(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        if (record != null && filter.test(record)) {
            records.add(record);
        }
    }

    private static AuditRecord parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(line, AuditRecord.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the file ends in the middle of a line, as a crash during a write leaves it. */
    private static boolean cutShort(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) != '\n';
        }
    }
}
