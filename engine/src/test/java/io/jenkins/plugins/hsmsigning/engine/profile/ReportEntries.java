package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import java.time.Instant;
import java.util.List;

/** Report entries as the engine makes them, for tests of what front-ends do with them. */
final class ReportEntries {

    static final SignerDetails SIGNER = new SignerDetails("CN=Example Corp,O=Example", "CN=Example CA", "1A",
            "AB".repeat(32));

    private ReportEntries() {
    }

    static ReportEntry embedded(String path) {
        return new ReportEntry(ReportEntry.SIGN, path, 100L, "aa".repeat(32), "bb".repeat(32), "authenticode", null,
                SIGNER, "PKCS#11 token t, key 'k'", "SHA-256", "SHA256withRSA",
                new TimestampDetails("http://tsa.example", Instant.parse("2026-11-22T10:00:00Z")), 120L,
                Status.SIGNED, null, null, List.of(), null);
    }

    static ReportEntry detached(String path, String format, String extension) {
        return new ReportEntry(ReportEntry.SIGN, path, 100L, "cc".repeat(32), "cc".repeat(32), format,
                path + extension, SIGNER, "PKCS#11 token t, key 'k'", "SHA-256", "SHA256withRSA", null, 30L,
                Status.SIGNED, null, null, List.of("no timestamp"), null);
    }

    static ReportEntry failed(String operation, String path, String reason) {
        return ReportEntry.failure(operation, path, "cms", Failure.SIGNATURE_INVALID, reason, 5);
    }

    static ReportEntry verified(String path) {
        return new ReportEntry(ReportEntry.VERIFY, path, 100L, "cc".repeat(32), "cc".repeat(32), "cms",
                path + ".p7s", SIGNER, null, "SHA-256", "SHA256withRSA", null, 7L, Status.VERIFIED, null, null,
                List.of(), null);
    }
}
