package io.jenkins.plugins.hsmsigning.signing;

import hudson.AbortException;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.List;
import java.util.Map;

/** The entries one signing or verification request produced, already recorded on the build. */
public final class SigningOutcome {

    private final List<ReportEntry> entries;
    private final int artifacts;

    SigningOutcome(List<ReportEntry> entries, int artifacts) {
        this.entries = List.copyOf(entries);
        this.artifacts = artifacts;
    }

    public List<ReportEntry> entries() {
        return entries;
    }

    /** How many artifacts matched the request. */
    public int artifacts() {
        return artifacts;
    }

    /** Fails the step or build, listing the reasons, if any signature or verification failed. */
    public SigningOutcome requireSuccess() throws AbortException {
        String failure = SigningSummary.failureMessage(entries);
        if (failure != null) {
            throw new AbortException(failure);
        }
        return this;
    }

    /** Counts and per-artifact results as plain maps and lists, for a Pipeline script. */
    public Map<String, Object> toPipelineResult() {
        return SigningSummary.toPipelineResult(entries, artifacts);
    }
}
