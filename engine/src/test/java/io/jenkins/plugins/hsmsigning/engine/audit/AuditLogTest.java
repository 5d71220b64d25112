package io.jenkins.plugins.hsmsigning.engine.audit;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AuditLogTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void readsNewestFirstWithAFilter() throws Exception {
        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("audit/signing.jsonl"));
        log.append(List.of(record("a", "release"), record("b", "nightly")));
        log.append(List.of(record("c", "release")));
        List<AuditRecord> read = log.read(10, r -> r.profile().equals("release"));
        assertEquals(List.of("c", "a"), read.stream().map(AuditRecord::artifact).toList());
        assertEquals(1, log.read(1, r -> true).size());
    }

    @Test
    public void aLineCutShortByACrashBreaksNoOtherLine() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("signing.jsonl");
        AuditLog log = new AuditLog(file);
        log.append(List.of(record("before", "p")));
        Files.writeString(file, "{\"time\":\"2026-11-22T10:00:00Z\",\"job\":\"cut sh", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        log.append(List.of(record("after", "p")));
        assertEquals(List.of("after", "before"), log.read(10, r -> true).stream().map(AuditRecord::artifact).toList());
    }

    @Test
    public void concurrentWritersNeverInterleave() throws Exception {
        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("signing.jsonl"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                log.append(List.of(record("artifact-" + n, "p")));
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(200, log.read(1000, r -> true).size());
        assertEquals(200, Files.readAllLines(log.file()).size());
    }

    private static AuditRecord record(String artifact, String profile) {
        return new AuditRecord(Instant.now(), "job", "1", "alice", profile, artifact, "cms", "00", "AB", "SIGNED", null);
    }
}
