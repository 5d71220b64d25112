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
import java.util.Collections;
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

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
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
            lines.append(JSON.writeValueAsString(record)).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
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

    /** Newest first, at most {@code limit} records that pass {@code filter}. */
    public synchronized List<AuditRecord> read(int limit, Predicate<AuditRecord> filter) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Collections.reverse(lines);
        List<AuditRecord> records = new ArrayList<>();
        for (String line : lines) {
            if (records.size() >= limit) {
                break;
            }
            AuditRecord record = parse(line);
            if (record != null && filter.test(record)) {
                records.add(record);
            }
        }
        return records;
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
