package io.jenkins.plugins.hsmsigning.engine.report;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SignatureReportTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void roundTripsThroughVersionedJson() throws Exception {
        SignatureReport report = new SignatureReport(new RunContext("user alice",
                Instant.parse("2026-11-22T10:00:00Z"), Map.of("job", "release", "build", "42")));
        report.add(new ReportEntry(ReportEntry.SIGN, "dist/app.bin", 10L, "aa", "aa", "cms", "dist/app.bin.p7s",
                new SignerDetails("CN=x", "CN=ca", "1F", "AB"), "PKCS#11 token 't'", "SHA-256", "SHA256withRSA",
                new TimestampDetails("http://127.0.0.1:1/tsa", Instant.parse("2026-11-22T10:00:01Z")), 12L,
                Status.SIGNED, null, null, List.of(), List.of(new CertificateDetails("CN=x", "CN=ca", "1F", "AB",
                        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")))));
        report.add(ReportEntry.failure(ReportEntry.SIGN, "dist/b.bin", "cms", Failure.KEY_ERROR, "Wrong PIN.", 1));
        String json = report.toJson();
        assertThat(json, containsString("\"schemaVersion\" : 2"));
        assertThat(json, containsString("\"time\" : \"2026-11-22T10:00:01Z\""));
        assertThat(json, containsString("\"signed\" : 1"));
        assertThat(json, containsString("\"notAfter\" : \"2027-01-01T00:00:00Z\""));
        Path file = tmp.getRoot().toPath().resolve("signatures.json");
        report.write(file);
        SignatureReport read = SignatureReport.read(file);
        assertEquals(report.entries(), read.entries());
        assertEquals(report.context(), read.context());
        assertEquals(new SignatureReport.Summary(1, 0, 1, 0), read.summary());
    }

    @Test
    public void everySignerRoundTripsWithItsOwnVerdict() throws Exception {
        SignatureReport report = new SignatureReport(new RunContext("user bob", Instant.parse("2026-11-22T10:00:00Z"),
                Map.of()));
        SignerVerdict good = new SignerVerdict(new SignerDetails("Alice <alice@example.org>", null, "0123456789ABCDEF",
                "AB"), "Ed25519 with SHA-512", "SHA-512", Instant.parse("2026-11-20T10:00:00Z"), null, Status.VERIFIED,
                null, null);
        SignerVerdict unknown = new SignerVerdict(new SignerDetails(null, null, "FEDCBA9876543210", null),
                "EdDSA with SHA-256", "SHA-256", Instant.parse("2026-11-21T10:00:00Z"), null, Status.FAILED,
                Failure.UNTRUSTED, "The key is not trusted.");
        report.add(new ReportEntry(ReportEntry.VERIFY, "app.bin", 3L, "aa", "aa", "pgp", "app.bin.asc",
                good.signer(), null, "SHA-512", "Ed25519", null, 2L, Status.VERIFIED, null, null,
                List.of("another signature was not accepted"), null, "Ed25519 with SHA-512", List.of(good, unknown)));
        report.add(new ReportEntry(ReportEntry.VERIFY, "lib.bin", 3L, "bb", "bb", "cms", "lib.bin.p7s", null, null,
                "SHA-256", "SHA256withRSA", null, 1L, Status.INTACT, null, null, List.of(), null,
                "RSA-3072 with SHA-256", null));

        SignatureReport read = SignatureReport.parse(report.toJson());

        assertEquals(report.entries(), read.entries());
        assertEquals(List.of(good, unknown), read.entries().get(0).signers());
        assertEquals(new SignatureReport.Summary(0, 1, 0, 1, 1), read.summary());
        assertThat(report.toJson(), containsString("\"signedAt\" : \"2026-11-20T10:00:00Z\""));
    }
}
