package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditLog;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AuditQueryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void parametersAreParsedAndBounded() {
        AuditQuery q = AuditQuery.parse(" release ", "", "x", null);
        assertEquals("release", q.profile());
        assertNull(q.job());
        assertEquals(1, q.page());
        assertEquals(AuditQuery.DEFAULT_PAGE_SIZE, q.pageSize());
        assertEquals(1, AuditQuery.parse(null, null, "-3", "0").pageSize());
        assertEquals(AuditQuery.MAX_PAGE_SIZE, AuditQuery.parse(null, null, "2", "100000").pageSize());
        assertEquals(AuditQuery.MAX_PAGE, AuditQuery.parse(null, null, "99999999", null).page());
    }

    @Test
    public void pagesAreNewestFirstAndFiltered() throws Exception {
        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("audit.jsonl"));
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            records.add(record("team/app", "release", "a" + i));
            records.add(record("sandbox/x", "dev", "b" + i));
        }
        records.add(record("team/other", "release", "c1"));
        log.append(records);

        AuditQuery.Page first = new AuditQuery("release", null, 1, 3).read(log);
        assertEquals(List.of("c1", "a7", "a6"), artifacts(first));
        assertFalse(first.hasPrevious());
        assertTrue(first.hasNext());
        assertNull(first.previousQueryString());
        assertEquals("?profile=release&page=2&size=3", first.nextQueryString());

        AuditQuery.Page third = new AuditQuery("release", null, 3, 3).read(log);
        assertEquals(List.of("a2", "a1"), artifacts(third));
        assertTrue(third.hasPrevious());
        assertFalse(third.hasNext());
        assertEquals("?profile=release&page=2&size=3", third.previousQueryString());
        assertNull(third.nextQueryString());

        assertEquals(List.of(), artifacts(new AuditQuery("release", null, 4, 3).read(log)));
        assertEquals(List.of("a7", "a6"), artifacts(new AuditQuery(null, "team/app", 1, 2).read(log)));
        assertEquals(List.of("c1", "a7"), artifacts(new AuditQuery(null, "team/**", 1, 2).read(log)));
        assertEquals(List.of("b7"), artifacts(new AuditQuery("dev", "sandbox/*", 1, 1).read(log)));
        assertEquals(List.of(), artifacts(new AuditQuery("dev", "team/**", 1, 10).read(log)));
    }

    @Test
    public void aQueryStringLinksToAnotherPage() {
        assertEquals("?profile=release&job=team%2F**&page=2",
                new AuditQuery("release", "team/**", 1, AuditQuery.DEFAULT_PAGE_SIZE).withPage(2).queryString());
        assertEquals("?page=1&size=10", new AuditQuery(null, null, 1, 10).queryString());
        assertEquals("?job=a+b%26c&page=1", new AuditQuery(null, "a b&c", 1, AuditQuery.DEFAULT_PAGE_SIZE)
                .queryString());
    }

    @Test
    public void anEmptyLogHasOneEmptyPage() throws Exception {
        AuditQuery.Page page = AuditQuery.parse(null, null, null, null)
                .read(new AuditLog(tmp.getRoot().toPath().resolve("none.jsonl")));
        assertTrue(page.records().isEmpty());
        assertFalse(page.hasNext());
    }

    @Test
    public void aDateRangeAndAResultSelectRecordsAndAnExportIsOldestFirst() throws Exception {
        AuditLog log = new AuditLog(tmp.getRoot().toPath().resolve("audit.jsonl"));
        log.append(List.of(
                at("2026-11-30T23:59:59Z", "before", "SIGNED"),
                at("2026-12-01T00:00:00Z", "first", "SIGNED"),
                at("2026-12-02T12:00:00Z", "refused", "DENIED"),
                at("2026-12-03T23:59:59Z", "last", "SIGNED"),
                at("2026-12-04T00:00:00Z", "after", "SIGNED")));
        AuditQuery december = AuditQuery.parse(null, null, null, null, "2026-12-01", " 2026-12-03", null);
        assertEquals(List.of("last", "refused", "first"), artifacts(december.read(log)));
        assertEquals(List.of("first", "refused", "last"), december.readAll(log, 100).stream()
                .map(AuditRecord::artifact).toList());
        assertEquals(List.of("refused"), artifacts(AuditQuery.parse(null, null, null, null, "2026-12-01",
                "2026-12-03", "denied").read(log)));
        AuditQuery unreadable = AuditQuery.parse(null, null, null, null, "1st of December", "", "");
        assertNull(unreadable.from());
        assertEquals(5, unreadable.read(log).records().size());
        assertEquals("?from=2026-12-01&to=2026-12-03&result=DENIED&page=2", new AuditQuery(null, null, 1,
                AuditQuery.DEFAULT_PAGE_SIZE, december.from(), december.to(), "DENIED").withPage(2).queryString());
    }

    private static AuditRecord at(String time, String artifact, String result) {
        return new AuditRecord(Instant.parse(time), "team/app", "1", "alice", "release", artifact, "cms", "00", "AB",
                result, null);
    }

    private static AuditRecord record(String job, String profile, String artifact) {
        return new AuditRecord(Instant.now(), job, "1", "alice", profile, artifact, "cms", "00", "AB", "SIGNED", null);
    }

    private static List<String> artifacts(AuditQuery.Page page) {
        return page.records().stream().map(AuditRecord::artifact).toList();
    }
}
