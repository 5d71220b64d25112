package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.SignerVerdict;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class SigningSummaryTest {

    @Test
    public void oneLinePerEntry() {
        assertEquals("dist/app.exe [authenticode] signed by Example Corp in 120 ms, timestamped by http://tsa.example",
                SigningSummary.logLine(ReportEntries.embedded("dist/app.exe")));
        assertEquals("dist/a.txt [pgp] signed by Example Corp in 30 ms (warning: no timestamp)",
                SigningSummary.logLine(ReportEntries.detached("dist/a.txt", "pgp", ".asc")));
        assertEquals("dist/a.txt [cms] verified, signed by Example Corp in 7 ms",
                SigningSummary.logLine(ReportEntries.verified("dist/a.txt")));
        assertEquals("dist/a.txt [cms] FAILED: dist/a.txt: the content was modified.",
                SigningSummary.logLine(ReportEntries.failed(ReportEntry.VERIFY, "dist/a.txt",
                        "dist/a.txt: the content was modified.")));
    }

    @Test
    public void aSignerWithoutSubjectIsLeftOut() {
        ReportEntry anonymous = new ReportEntry(ReportEntry.VERIFY, "dist/a.txt", 1L, null, null, "pgp", "dist/a.txt.asc",
                new io.jenkins.plugins.hsmsigning.engine.report.SignerDetails(null, null, "00AA", null), null,
                "SHA-256", "SHA256withRSA", null, 3L, io.jenkins.plugins.hsmsigning.engine.report.Status.VERIFIED, null,
                null, List.of(), null);
        assertEquals("dist/a.txt [pgp] verified in 3 ms", SigningSummary.logLine(anonymous));
    }

    @Test
    public void summaryAndFailureMessage() {
        List<ReportEntry> entries = List.of(ReportEntries.embedded("a.exe"), ReportEntries.detached("b", "cms", ".p7s"),
                ReportEntries.failed(ReportEntry.SIGN, "c", "Wrong PIN."), ReportEntries.failed(ReportEntry.SIGN, "d",
                        "Wrong PIN."));
        assertEquals("2 signed, 0 verified, 2 failed, 1 with warnings", SigningSummary.summaryLine(entries));
        assertEquals("2 of 4 signatures failed:\n  Wrong PIN.", SigningSummary.failureMessage(entries));
        assertNull(SigningSummary.failureMessage(List.of(ReportEntries.embedded("a.exe"))));
        assertThat(SigningSummary.failureMessage(List.of(ReportEntries.verified("x"),
                ReportEntries.failed(ReportEntry.VERIFY, "y", "y: no signature."))),
                containsString("1 of 2 verifications failed:\n  y: no signature."));
    }

    @Test
    public void commonNames() {
        assertEquals("Example Corp", SigningSummary.commonName("O=Example,CN=Example Corp"));
        assertEquals("O=Example", SigningSummary.commonName("O=Example"));
        assertEquals("not a dn", SigningSummary.commonName("not a dn"));
        assertNull(SigningSummary.commonName(null));
    }

    @Test
    public void changedFilesAreRewrittenArtifactsAndNewSignatureFiles() {
        Map<String, String> files = SigningSummary.changedFiles(List.of(ReportEntries.embedded("dist/app.exe"),
                ReportEntries.detached("dist/a.txt", "cms", ".p7s"),
                ReportEntries.failed(ReportEntry.SIGN, "dist/b.txt", "x"), ReportEntries.verified("dist/c.txt")));
        assertEquals(Map.of("dist/app.exe", "dist/app.exe", "dist/a.txt.p7s", "dist/a.txt.p7s"), files);
        assertEquals(List.of("dist/app.exe", "dist/a.txt.p7s"), List.copyOf(files.keySet()));
    }

    @Test
    public void aDeepSignedContainerIsArchivedWithItsSignatureButItsInnerFilesAreNot() {
        ReportEntry inner = ReportEntries.embedded("dist/app.zip!/bin/app.exe");
        ReportEntry detached = ReportEntries.detached("dist/app.zip", "cms", ".p7s");
        ReportEntry container = new ReportEntry(detached.operation(), detached.path(), detached.size(), "before",
                "after", detached.format(), detached.signatureFile(), detached.signer(), detached.keySource(),
                detached.digestAlgorithm(), detached.signatureAlgorithm(), null, 1L, detached.status(), null, null,
                List.of(), null);
        Map<String, String> files = SigningSummary.changedFiles(List.of(inner, container), List.of("dist/app.zip"));
        assertEquals(List.of("dist/app.zip.p7s", "dist/app.zip"), List.copyOf(files.keySet()));
    }

    @Test
    public void failAllMapsTheExceptionKind() {
        List<ReportEntry> entries = SigningSummary.failAll(ReportEntry.SIGN, List.of("a", "b"),
                new SigningException(SigningException.Kind.KEY, "Wrong PIN for token t; not retried."));
        assertEquals(2, entries.size());
        for (ReportEntry e : entries) {
            assertEquals(Status.FAILED, e.status());
            assertEquals(Failure.KEY_ERROR, e.failure());
            assertEquals("Wrong PIN for token t; not retried.", e.reason());
        }
        assertEquals(Failure.CONFIGURATION, SigningSummary.failAll(ReportEntry.SIGN, List.of("a"),
                new SigningException(SigningException.Kind.CONFIGURATION, "x")).get(0).failure());
    }

    @Test
    public void pipelineResultIsPlainSerialisableData() throws Exception {
        Map<String, Object> result = SigningSummary.toPipelineResult(List.of(ReportEntries.embedded("a.exe"),
                ReportEntries.failed(ReportEntry.SIGN, "b", "broken")), 2);
        assertEquals(2, result.get("artifacts"));
        assertEquals(1, result.get("signed"));
        assertEquals(1, result.get("failed"));
        List<?> rows = (List<?>) result.get("results");
        Map<?, ?> first = (Map<?, ?>) rows.get(0);
        assertEquals("sign", first.get("operation"));
        assertEquals("a.exe", first.get("path"));
        assertEquals("SIGNED", first.get("status"));
        assertEquals("2026-11-22T10:00:00Z", first.get("timestamp"));
        assertEquals("bb".repeat(32), first.get("sha256"));
        assertEquals("broken", ((Map<?, ?>) rows.get(1)).get("reason"));
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(result);
        }
    }

    @Test
    public void everySignerReachesScriptsAndTheLog() throws Exception {
        SignerVerdict judy = new SignerVerdict(new SignerDetails("Judy <judy@example.org>", null, "0A", "FF"),
                "Ed25519 with SHA-512", "SHA-512", null, null, Status.VERIFIED, null, null);
        SignerVerdict unknown = new SignerVerdict(new SignerDetails(null, null, "0B", null), "ECDSA with SHA-256",
                "SHA-256", null, null, Status.FAILED, Failure.UNTRUSTED, "The key 0B is not trusted.");
        ReportEntry entry = new ReportEntry(ReportEntry.VERIFY, "a.bin", 1L, "aa", "aa", "pgp", "a.bin.asc",
                judy.signer(), null, "SHA-512", "Ed25519", null, 4L, Status.VERIFIED, null, null, List.of(), null,
                "Ed25519 with SHA-512", List.of(judy, unknown));

        Map<String, Object> result = SigningSummary.toPipelineResult(List.of(entry), 1);

        Map<?, ?> row = (Map<?, ?>) ((List<?>) result.get("results")).get(0);
        assertEquals("Ed25519 with SHA-512", row.get("algorithm"));
        List<?> signers = (List<?>) row.get("signers");
        assertEquals(2, signers.size());
        assertEquals("VERIFIED", ((Map<?, ?>) signers.get(0)).get("status"));
        assertEquals("UNTRUSTED", ((Map<?, ?>) signers.get(1)).get("failure"));
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(result);
        }
        assertEquals("a.bin [pgp] verified, signed by Judy <judy@example.org> (2 signatures) in 4 ms",
                SigningSummary.logLine(entry));
    }

    @Test
    public void entriesTravelAsJson() throws Exception {
        List<ReportEntry> entries = List.of(ReportEntries.embedded("a.exe"), ReportEntries.verified("b"),
                ReportEntries.failed(ReportEntry.VERIFY, "c", "c: no signature."));
        String json = SigningSummary.toJson(entries);
        assertTrue(json.contains("\"schemaVersion\""));
        assertEquals(entries, SigningSummary.fromJson(json));
        assertEquals(List.of(), SigningSummary.fromJson(SigningSummary.toJson(List.of())));
    }
}
