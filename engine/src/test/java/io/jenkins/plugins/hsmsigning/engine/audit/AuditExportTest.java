package io.jenkins.plugins.hsmsigning.engine.audit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class AuditExportTest {

    private static final AuditRecord SIGNED = new AuditRecord(Instant.parse("2026-12-01T10:00:00Z"), "team/app", "7",
            "alice", "release", "dist/app \"1\".zip", "cms", "00ff", "AB", "SIGNED", null);
    private static final AuditRecord HOSTILE = new AuditRecord(Instant.parse("2026-12-01T11:00:00Z"), "team/app",
            "8", "bob", "release", "=HYPERLINK(\"http://x\")", "cms", "11", "AB", "FAILED", "-1, broken");

    @Test
    public void jsonLinesAreTheLinesTheLogKeeps() throws Exception {
        StringWriter out = new StringWriter();
        AuditExport.JSONL.write(List.of(SIGNED, HOSTILE), out);
        List<String> lines = out.toString().lines().toList();
        assertEquals(List.of(AuditLog.toJson(SIGNED), AuditLog.toJson(HOSTILE)), lines);
    }

    @Test
    public void csvQuotesEveryCellAndKeepsFormulasAsText() throws Exception {
        StringWriter out = new StringWriter();
        AuditExport.CSV.write(List.of(SIGNED, HOSTILE), out);
        String[] lines = out.toString().split("\r\n");
        assertEquals(3, lines.length);
        assertEquals("time,job,build,user,causeType,commit,profile,artifact,format,sha256,signerFingerprint,result,"
                + "reason,failedRules", lines[0]);
        assertEquals("\"2026-12-01T10:00:00Z\",\"team/app\",\"7\",\"alice\",\"\",\"\",\"release\","
                + "\"dist/app \"\"1\"\".zip\",\"cms\",\"00ff\",\"AB\",\"SIGNED\",\"\",\"\"", lines[1]);
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"", lines[2].split(",")[7]);
        assertEquals("\"'-1", lines[2].split(",")[12]);
    }

    @Test
    public void formatsAreNamedByTheirExtension() {
        assertEquals(AuditExport.CSV, AuditExport.parse(" CSV"));
        assertEquals(AuditExport.JSONL, AuditExport.parse("jsonl"));
        assertNull(AuditExport.parse("xlsx"));
        assertNull(AuditExport.parse(null));
    }
}
