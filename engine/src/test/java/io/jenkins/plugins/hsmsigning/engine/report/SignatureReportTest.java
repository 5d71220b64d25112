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
}
