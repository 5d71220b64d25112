package io.jenkins.plugins.hsmsigning.signing;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.engine.profile.DirectoryVerifier;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustLabels;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import io.jenkins.plugins.hsmsigning.engine.profile.WorkspaceResults;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies signatures for the {@code verifySignature} step: the build's archived artifacts on the controller, or the
 * files of a workspace where the workspace is (on an agent, through {@link WorkspaceListing} and
 * {@link WorkspaceVerification}, which carry only paths and public trust material). Verification needs no secret and
 * touches no token, so profiles' usage policies do not apply. What an agent reports is kept only for the files the
 * step asked about, and every entry says where it was checked ({@code controller} or {@code agent:<name>}) and
 * against which trust ({@code profile:<id>}, {@code step:trustAnchors}, {@code step:pgpKeys}). The entries are added
 * to the build's signature report (operation {@code verify}).
 */
public final class ArtifactVerificationService {

    private final Run<?, ?> run;
    private final TaskListener listener;

    public ArtifactVerificationService(@NonNull Run<?, ?> run, @NonNull TaskListener listener) {
        this.run = run;
        this.listener = listener;
    }

    /**
     * @param workspace the workspace, needed for {@link VerificationRequest.Source#WORKSPACE} only
     */
    public SigningOutcome verify(@NonNull VerificationRequest request, @CheckForNull FilePath workspace)
            throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        SigningProfile profile = request.profile() == null ? null : ArtifactSigningService.profile(request.profile());
        TrustSettings trust;
        try {
            trust = trustSettings(profile, request);
            trust.options(); // every part readable, something to trust: fail here, not on the agent
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        }
        List<String> trustLabels = TrustLabels.of(profile == null ? null : profile.getId(),
                Util.fixEmptyAndTrim(request.trustAnchors()) != null, Util.fixEmptyAndTrim(request.pgpKeys()) != null);
        String includes = ArtifactSelection.includes(request.includes());
        String excludes = ArtifactSelection.excludes(request.excludes());
        List<ReportEntry> entries = request.source() == VerificationRequest.Source.WORKSPACE
                ? verifyWorkspace(workspace, includes, excludes, trust, trustLabels, request)
                : verifyArchive(includes, excludes, trust, trustLabels, request);
        int artifacts = DirectoryVerifier.artifactCount(entries);
        if (artifacts == 0) {
            String message = "No " + (request.source() == VerificationRequest.Source.WORKSPACE
                    ? "file of the workspace" : "archived artifact of " + run.getFullDisplayName()) + " matches "
                    + ArtifactSelection.describe(includes, excludes) + " (signature files are verified with the"
                    + " files they sign, not on their own).";
            if (request.failOnError()) {
                throw new AbortException(message);
            }
            log.println(message);
            return new SigningOutcome(List.of(), 0);
        }
        SignatureReports.checkReportFileIsOurs(run);
        SignatureReports.record(run, entries, null, BuildIdentity.of(run).runContext(run,
                profile == null ? null : profile.getId()), listener);
        log.println("Verification" + (profile == null ? "" : " with profile '" + profile.getId() + "'") + ": "
                + SigningSummary.summaryLine(entries) + ". Details: " + run.getUrl() + "signatures/");
        return new SigningOutcome(entries, artifacts);
    }

    /**
     * Trust anchors given to the step replace the profile's (and the Java runtime's CAs, if the profile trusts them);
     * OpenPGP keys and path-building certificates given to the step add to the profile's. The step's revocation level
     * can raise the profile's, never lower it; CRL files and online checking are the profile's alone, since only an
     * administrator may let the controller fetch URLs that certificates name.
     */
    static TrustSettings trustSettings(@CheckForNull SigningProfile profile, VerificationRequest request)
            throws SigningException {
        TrustSettings fromProfile = profile == null ? new TrustSettings(null, null, null) : profile.trustSettings();
        boolean stepAnchors = Util.fixEmptyAndTrim(request.trustAnchors()) != null;
        String anchors = stepAnchors ? request.trustAnchors() : fromProfile.trustAnchorsPem();
        String certificates = Util.fixNull(fromProfile.certificatesPem()) + "\n"
                + Util.fixNull(request.certificates());
        RevocationMode mode = RevocationMode.parse(fromProfile.revocation(), "revocation of the profile");
        if (Util.fixEmptyAndTrim(request.revocation()) != null) {
            RevocationMode requested = RevocationMode.parse(request.revocation(), "revocation");
            mode = profile == null ? requested : mode.atLeast(requested);
        }
        return new TrustSettings(anchors, fromProfile.pgpCertificatesPem(), Util.fixEmptyAndTrim(request.pgpKeys()))
                .withX509(Util.fixEmptyAndTrim(certificates), fromProfile.systemTrust() && !stepAnchors,
                        fromProfile.tsaTrustAnchorsPem(), mode.id(), fromProfile.crlsPem(),
                        fromProfile.revocationOnline());
    }

    /** The matching artifacts with their signatures, then the matching attestation bundles. */
    private List<ReportEntry> verifyArchive(String includes, String excludes, TrustSettings trust,
            List<String> trustLabels, VerificationRequest request) throws IOException {
        List<String> paths = ArchivedArtifacts.matching(run, includes, excludes);
        List<String> bundles = ArchivedArtifacts.bundles(run, includes, excludes);
        if (paths.isEmpty() && bundles.isEmpty()) {
            return List.of();
        }
        listener.getLogger().println("Verifying " + paths.size() + (paths.size() == 1 ? " archived artifact"
                : " archived artifacts") + (bundles.isEmpty() ? "" : " and " + bundles.size()
                + (bundles.size() == 1 ? " attestation" : " attestations")) + " on the controller"
                + (request.innerSelection() == null ? "" : ", and the files inside containers (deep)") + ".");
        Path work = Files.createTempDirectory(run.getRootDir().toPath(), "hsm-verify-");
        try {
            ArchivedArtifacts.copyWithSignaturesTo(run, paths, work);
            List<ReportEntry> entries = new ArrayList<>(DirectoryVerifier.verify(work, paths, trust.options(),
                    this::logLines, request.innerSelection()));
            ArchivedArtifacts.copyBundlesTo(run, bundles, work);
            entries.addAll(WorkspaceVerification.attestations(trust.options(), request.expectations())
                    .verifyAll(work, bundles, this::logLines));
            return entries.stream().map(e -> e.checkedAt(ReportEntry.CONTROLLER, trustLabels)).toList();
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        } finally {
            Util.deleteRecursive(work.toFile());
        }
    }

    private List<ReportEntry> verifyWorkspace(@CheckForNull FilePath workspace, String includes, String excludes,
            TrustSettings trust, List<String> trustLabels, VerificationRequest request)
            throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException("source: 'workspace' needs a workspace: call verifySignature inside a node"
                    + " block, or verify the archived artifacts (source: 'archive').");
        }
        String checkedOn = checkedOn(workspace);
        listener.getLogger().println("Verifying the files of " + workspace.getRemote()
                + (workspace.isRemote() ? " on the agent (" + checkedOn + "); its verdicts are only as trustworthy"
                        + " as the agent." : "."));
        List<String> listed = workspace.act(new WorkspaceListing(includes, excludes));
        List<String> requested = WorkspaceResults.requested(listed, path -> AntPatterns.covers(includes, excludes,
                path));
        List<String> bundles = WorkspaceResults.requestedBundles(listed, path -> AntPatterns.covers(includes,
                excludes, path));
        if (requested.isEmpty() && bundles.isEmpty()) {
            return List.of();
        }
        List<String> asked = new ArrayList<>(requested);
        asked.addAll(bundles);
        WorkspaceResults.Accepted accepted = WorkspaceResults.accept(SigningSummary.fromJson(
                workspace.act(new WorkspaceVerification(requested, bundles, trust, request.expectations(),
                        request.deep()))), asked, checkedOn, trustLabels, request.innerSelection() != null);
        if (accepted.ignored() > 0) {
            listener.getLogger().println("Ignored " + accepted.ignored() + " result(s) the agent sent for files that"
                    + " were not asked about.");
        }
        logLines(accepted.entries());
        return accepted.entries();
    }

    /** {@code controller} for a workspace on the controller, else {@code agent:} and the agent's name. */
    private static String checkedOn(FilePath workspace) {
        if (!workspace.isRemote()) {
            return ReportEntry.CONTROLLER;
        }
        Computer computer = workspace.toComputer();
        return ReportEntry.AGENT_PREFIX + (computer == null ? "unknown" : computer.getName());
    }

    private void logLines(List<ReportEntry> entries) {
        entries.forEach(e -> listener.getLogger().println("  " + SigningSummary.logLine(e)));
    }
}
