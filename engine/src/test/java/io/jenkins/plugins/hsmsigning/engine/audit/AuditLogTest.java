package io.jenkins.plugins.hsmsigning.engine.audit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
    public void aLongLogIsReadBackwardsAcrossChunksWithAnyCharacters() throws Exception {
        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("signing.jsonl"));
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            batch.add(record("artefact-é-漢字-" + i, i % 3 == 0 ? "release" : "nightly"));
        }
        log.append(batch);
        assertTrue(Files.size(log.file()) > 10 * 64 * 1024);

        List<AuditRecord> newest = log.read(5, r -> true);
        List<AuditRecord> releases = log.read(3000, r -> r.profile().equals("release"));
        List<AuditRecord> all = log.read(10_000, r -> true);

        assertEquals(List.of("artefact-é-漢字-5999", "artefact-é-漢字-5998", "artefact-é-漢字-5997",
                "artefact-é-漢字-5996", "artefact-é-漢字-5995"), newest.stream().map(AuditRecord::artifact).toList());
        assertEquals(2000, releases.size());
        assertEquals("artefact-é-漢字-5997", releases.get(0).artifact());
        assertEquals("artefact-é-漢字-0", releases.get(1999).artifact());
        assertEquals(6000, all.size());
        assertEquals("artefact-é-漢字-0", all.get(5999).artifact());
    }

    @Test
    public void aHugeDamagedLineIsSkippedNotHeld() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("signing.jsonl");
        AuditLog log = new AuditLog(file);
        log.append(List.of(record("first", "p")));
        Files.writeString(file, "x".repeat(3 * 1024 * 1024) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        log.append(List.of(record("last", "p")));

        assertEquals(List.of("last", "first"), log.read(10, r -> true).stream().map(AuditRecord::artifact).toList());
        assertEquals(List.of(), new AuditLog(tmp.getRoot().toPath().resolve("none.jsonl")).read(10, r -> true));
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
