package io.jenkins.plugins.hsmsigning.signing;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import io.jenkins.plugins.hsmsigning.support.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.support.ProfileSettings;
import io.jenkins.plugins.hsmsigning.support.SigningResults;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;

/**
 * Signs a build's archived artifacts on the controller: the one code path behind the {@code signArtifacts} step (and
 * the freestyle recorder). The artifacts are copied to a directory under the build, signed there by the engine, and
 * the changed files and new signature files archived again; the key and its PIN never leave the controller. Every
 * outcome, failures included, is recorded on the build before the caller decides the result.
 */
public final class ArtifactSigningService {

    /** Artifacts signed at once: hashing one overlaps the token signing another. */
    static final int THREADS = 2;

    private final Run<?, ?> run;
    private final TaskListener listener;

    public ArtifactSigningService(@NonNull Run<?, ?> run, @NonNull TaskListener listener) {
        this.run = run;
        this.listener = listener;
    }

    public SigningOutcome sign(@NonNull SigningRequest request) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        SigningProfile profile = profile(request.profile());
        SigningOptions options;
        List<X509Certificate> chain;
        try {
            options = profile.signingOptions(request.formats());
            chain = profile.certificateChainCertificates();
            ProfileSettings.checkMaxConcurrentOperations(profile.getMaxConcurrentOperations());
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        }
        if (profile.getKeySource() == null) {
            throw new AbortException("The signing profile '" + profile.getId() + "' has no key configured.");
        }
        String includes = ArtifactSelection.includes(request.includes());
        String excludes = ArtifactSelection.excludes(request.excludes());
        List<String> paths = ArchivedArtifacts.matching(run, includes, excludes);
        if (paths.isEmpty()) {
            String message = "No archived artifact of " + run.getFullDisplayName() + " matches "
                    + ArtifactSelection.describe(includes, excludes) + " (signature files are never signed).";
            if (!request.allowEmpty()) {
                throw new AbortException(message + " Archive the artifacts first, or set allowEmpty.");
            }
            log.println(message);
            return new SigningOutcome(List.of(), 0);
        }
        checkReportFileIsOurs();

        log.println("Signing " + paths.size() + (paths.size() == 1 ? " artifact" : " artifacts")
                + " with signing profile '" + profile.getId() + "', formats: " + describeFormats(options) + ".");
        Path work = Files.createTempDirectory(run.getRootDir().toPath(), "hsm-signing-");
        try {
            List<ArtifactSigner.Artifact> artifacts = ArchivedArtifacts.copyTo(run, paths, work);
            List<ReportEntry> entries = signAll(profile, chain, options, artifacts, paths);
            entries.forEach(e -> log.println("  " + SigningResults.logLine(e)));
            ArchivedArtifacts.archive(run, work, SigningResults.changedFiles(entries), listener);
            SignatureReports.record(run, entries, context(profile), listener);
            log.println("Signing with profile '" + profile.getId() + "': " + SigningResults.summaryLine(entries)
                    + ". Details: " + run.getUrl() + "signatures/");
            return new SigningOutcome(entries, paths.size());
        } finally {
            Util.deleteRecursive(work.toFile());
        }
    }

    private List<ReportEntry> signAll(SigningProfile profile, List<X509Certificate> chain, SigningOptions options,
            List<ArtifactSigner.Artifact> artifacts, List<String> paths) throws InterruptedException {
        try (SigningKey key = profile.getKeySource().open(run, profile.getId(), chain,
                profile.getMaxConcurrentOperations())) {
            listener.getLogger().println("Key: " + key.description() + ", certificate "
                    + key.certificate().getSubjectX500Principal().getName());
            return new ArtifactSigner(key, options).signAll(artifacts, THREADS);
        } catch (SigningException e) {
            listener.getLogger().println("Cannot use the key of signing profile '" + profile.getId() + "': "
                    + e.getMessage());
            return SigningResults.failAll(ReportEntry.SIGN, paths, e);
        }
    }

    private SigningProfile profile(String id) throws AbortException {
        HsmSigningConfiguration config = HsmSigningConfiguration.get();
        SigningProfile profile = id == null ? null : config.getProfile(id.trim());
        if (profile == null) {
            String known = config.getProfiles().stream().map(SigningProfile::getId)
                    .collect(Collectors.joining("', '"));
            throw new AbortException("There is no signing profile '" + id + "' (Manage Jenkins » System » HSM"
                    + " signing)" + (known.isEmpty() ? "; none is defined." : "; defined: '" + known + "'."));
        }
        return profile;
    }

    /** The report is archived as signatures.json; an artifact of that name archived by the build would be lost. */
    private void checkReportFileIsOurs() throws IOException {
        if (run.getAction(SignatureReportAction.class) == null
                && ArchivedArtifacts.isFile(run, SignatureReportAction.REPORT_FILE)) {
            throw new AbortException("This build archived an artifact named " + SignatureReportAction.REPORT_FILE
                    + ", which the signature report would replace; rename it.");
        }
    }

    private static String describeFormats(SigningOptions options) {
        if (options.autoFormat()) {
            return "auto";
        }
        return options.formats().stream().map(Format::id).collect(Collectors.joining(", "));
    }

    private RunContext context(SigningProfile profile) {
        Cause.UserIdCause cause = run.getCause(Cause.UserIdCause.class);
        String requestedBy = cause != null && cause.getUserId() != null ? cause.getUserId() : "Jenkins";
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("job", run.getParent().getFullName());
        metadata.put("build", String.valueOf(run.getNumber()));
        String root = Jenkins.get().getRootUrl();
        metadata.put("url", (root == null ? "" : root) + run.getUrl());
        metadata.put("profile", profile.getId());
        return RunContext.now(requestedBy, metadata);
    }
}
