package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.ArrayList;
import java.util.List;

/** The container's own report entry, told the container's size and hash before deep signing and its notes. */
final class Amend {

    private Amend() {
    }

    static ReportEntry as(ReportEntry e, long sizeBefore, String sha256Before, List<String> notes) {
        List<String> warnings = new ArrayList<>(e.warnings());
        warnings.addAll(notes);
        return new ReportEntry(e.operation(), e.path(), sizeBefore, sha256Before, e.sha256After(), e.format(),
                e.signatureFile(), e.signer(), e.keySource(), e.digestAlgorithm(), e.signatureAlgorithm(),
                e.timestamp(), e.durationMillis(), e.status(), e.failure(), e.reason(), warnings, e.chain(),
                e.algorithm(), e.signers(), e.checkedOn(), e.trust());
    }
}
