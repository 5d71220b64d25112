package io.jenkins.plugins.hsmsigning.signing;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalAudit;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalEvent;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRules;
import io.jenkins.plugins.hsmsigning.engine.approval.ArtifactDigest;
import io.jenkins.plugins.hsmsigning.engine.approval.ArtifactDigests;
import io.jenkins.plugins.hsmsigning.engine.inplace.ReadCheck;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.engine.profile.RequestedSettings;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where approvals (the {@code approval} package) meet the signing path: what a request asks to sign, with the
 * SHA-256 of each artifact computed here on the controller; the check, right before signing and again on each read
 * being signed, that the bytes signed are exactly the approved ones; and the request's history in the build's signature report.
 */
public final class ApprovalScope {

    /** What approvers are asked about: the profile's rules, the build, the branch and the artifacts' digests. */
    public record Prepared(String profile, ApprovalRules rules, String job, String build, String branch,
            String requestedBy, List<ArtifactDigest> artifacts) {
    }

    private ApprovalScope() {
    }

    /** The rules of the request's profile; {@link ApprovalRules#NONE} when it needs no approval. */
    public static ApprovalRules rules(SigningRequest request) throws AbortException {
        return rulesOf(ArtifactSigningService.profile(request.profile()));
    }

    /**
     * The profile's usage policy first (a refused build asks nobody), then the artifacts the request would sign
     * and their SHA-256, read through the artifact manager. An empty list means nothing matched and the request
     * allows that.
     */
    public static Prepared prepare(Run<?, ?> run, TaskListener listener, SigningRequest request)
            throws IOException {
        SigningProfile profile = ArtifactSigningService.profile(request.profile());
        BuildIdentity build = BuildIdentity.of(run);
        RequestedSettings requested;
        try {
            requested = profile.requestedSettings(request.formats(), request.tsaUrls());
        } catch (SigningException e) {
            throw new AbortException(e.getMessage() + " Nothing was signed.");
        }
        new ArtifactSigningService(run, listener).checkPolicy(profile, requested, build);
        SignatureReports.checkReportFileIsOurs(run);
        String includes = ArtifactSelection.includes(request.includes());
        String excludes = ArtifactSelection.excludes(request.excludes());
        List<String> paths = ArchivedArtifacts.matching(run, includes, excludes);
        if (paths.isEmpty() && !request.allowEmpty()) {
            throw new AbortException("No archived artifact of " + run.getFullDisplayName() + " matches "
                    + ArtifactSelection.describe(includes, excludes) + ", so there is nothing to approve. Set"
                    + " allowEmpty to let a build that signs nothing succeed.");
        }
        List<ArtifactDigest> digests = new ArrayList<>();
        for (String path : paths) {
            try (InputStream in = ArchivedArtifacts.open(run, path)) {
                digests.add(new ArtifactDigest(path, ArtifactDigests.sha256(in)));
            }
        }
        return new Prepared(profile.getId(), rulesOf(profile), build.job(), String.valueOf(build.build()),
                build.head() == null ? null : build.head().name(), build.requestedBy(), digests);
    }

    /**
     * Right before signing: a profile that needs approval signs only with an approved request of this build and
     * profile, for exactly {@code paths}, all still the approved bytes (so that, as a rule, all or nothing is
     * signed). Returns the check of each read about to be signed against its approved SHA-256, which is what binds
     * the signature to the approval: bytes swapped after this first check are refused there.
     */
    static ReadCheck check(Run<?, ?> run, SigningProfile profile, @CheckForNull ApprovalRequest approved,
            List<String> paths) throws IOException {
        if (!rulesOf(profile).approvalRequired() && approved == null) {
            return ReadCheck.NONE;
        }
        if (approved == null || !approved.subject().profile().equals(profile.getId())
                || !approved.subject().job().equals(run.getParent().getFullName())
                || !approved.subject().build().equals(String.valueOf(run.getNumber()))) {
            throw new AbortException("Signing profile '" + profile.getId() + "' needs approval before signing,"
                    + " and this build has no approved request for it. Nothing was signed.");
        }
        try {
            approved.checkApproved(paths);
            for (String path : paths) {
                try (InputStream in = ArchivedArtifacts.open(run, path)) {
                    ArtifactDigests.checkRead(approved.artifacts(), path, ArtifactDigests.sha256(in),
                            "nothing was signed.");
                }
            }
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        }
        return approved::checkRead;
    }

    /** Adds approval events to the build's signature report. */
    public static void record(Run<?, ?> run, ApprovalRequest request, List<ApprovalEvent> events,
            TaskListener listener) throws IOException, InterruptedException {
        RunContext context = BuildIdentity.of(run).runContext(run, request.subject().profile());
        SignatureReports.recordApprovals(run, ApprovalAudit.reportEntries(request, events), context, listener);
    }

    private static ApprovalRules rulesOf(SigningProfile profile) throws AbortException {
        try {
            return profile.approvalRules();
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
