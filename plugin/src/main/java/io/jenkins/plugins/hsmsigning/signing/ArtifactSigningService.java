package io.jenkins.plugins.hsmsigning.signing;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.deep.DeepSigner;
import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.inplace.InPlaceSigner;
import io.jenkins.plugins.hsmsigning.engine.inplace.ReadCheck;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditRecords;
import io.jenkins.plugins.hsmsigning.engine.profile.ConsoleLines;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import io.jenkins.plugins.hsmsigning.engine.profile.RequestedSettings;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.report.PolicyDecision;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.keyservice.JenkinsProxySelector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Signs a build's archived artifacts on the controller: the one code path behind the {@code signArtifacts} step and
 * the freestyle recorder. The request's formats and authorities are worked out once ({@link RequestedSettings}); the
 * profile's usage policy, with the build's origin and the TSA allow-list, is checked first, before any credential or
 * token is touched; a refusal fails the build with the reason and is audited with every rule checked. Then the engine
 * signs each artifact where it is archived ({@link InPlaceSigner} over {@link ArchivedArtifactStore}): detached
 * signatures from a read of the archived file, a temporary copy under the build only for an artifact that may change
 * (embedded formats, "auto", deep), so the temporary space is that of the artifacts being signed at once. As each
 * artifact finishes it gets its log lines and audit lines, and then its new signature files and changed content are
 * archived; the provenance and SBOM attestations follow when asked for (signed with the same key, see
 * {@link BuildAttestations}). The key and its PIN never leave the controller. Nothing is archived, and nothing more
 * signed, once an audit record could not be written. Every outcome, failures included, is recorded on the build
 * before the caller decides the result.
 */
public final class ArtifactSigningService {

    /** Nothing was archived: in a freestyle job the signing post-build action must come after the archiving one. */
    public static final String NOTHING_ARCHIVED = "this build archived nothing. Signing works on archived artifacts,"
            + " so archive them first: archiveArtifacts in a Pipeline; in a freestyle job, the post-build action"
            + " \"Sign archived artifacts\" goes after \"Archive the artifacts\".";

    private final Run<?, ?> run;
    private final TaskListener listener;

    public ArtifactSigningService(@NonNull Run<?, ?> run, @NonNull TaskListener listener) {
        this.run = run;
        this.listener = listener;
    }

    public SigningOutcome sign(@NonNull SigningRequest request) throws IOException, InterruptedException {
        return sign(request, null);
    }

    /**
     * Signs with the request's profile; a profile that needs approval signs only with {@code approved}, an approved
     * request of this build, and only the bytes it approved ({@link ApprovalScope}).
     */
    public SigningOutcome sign(@NonNull SigningRequest request, @CheckForNull ApprovalRequest approved)
            throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        SigningProfile profile = profile(request.profile());
        BuildIdentity build = BuildIdentity.of(run);
        RequestedSettings requested;
        try {
            requested = profile.requestedSettings(request.formats(), request.tsaUrls());
        } catch (SigningException e) {
            throw new AbortException(e.getMessage() + " Nothing was signed.");
        }
        UsagePolicy.Decision decision = checkPolicy(profile, requested, build);

        SigningOptions options;
        List<X509Certificate> chain;
        try {
            chain = profile.certificateChainCertificates();
            SigningOptions profileOptions = profile.signingOptions(requested);
            options = ProfileSettings.program(profileOptions, request.programName(), profile.getProgramName(),
                    request.programUrl(), profile.getProgramUrl(), "programUrl")
                    .timestamps(profileOptions.timestamps().withProxy(new JenkinsProxySelector())
                            .withTlsTrust(profile.tsaTruststoreCertificates()))
                    .replaceSignatures(request.replace() || profile.isReplace())
                    .trustAnchors(profile.trustAnchorCertificates()).chainFile(chain);
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
                    + ArtifactSelection.describe(includes, excludes) + (ArchivedArtifacts.anyArchived(run)
                            ? " (signature files are never signed)." : ": " + NOTHING_ARCHIVED);
            if (!request.allowEmpty()) {
                throw new AbortException(message + " Set allowEmpty to let a build that signs nothing succeed.");
            }
            log.println(message);
            return new SigningOutcome(List.of(), 0);
        }
        SignatureReports.checkReportFileIsOurs(run);
        checkAuditLog();

        InnerSelection deep = request.deep().deep() || profile.isDeep() ? request.deep().selection() : null;
        log.println("Signing " + paths.size() + (paths.size() == 1 ? " artifact" : " artifacts")
                + " with signing profile '" + profile.getId() + "', formats: " + describeFormats(options)
                + (options.replaceSignatures() ? "; earlier Authenticode signatures are replaced" : "")
                + (deep != null ? "; deep: the files inside containers are signed first" : "") + ".");
        Path work = Files.createTempDirectory(run.getRootDir().toPath(), "hsm-signing-");
        try {
            ReadCheck approval = ApprovalScope.check(run, profile, approved, paths);
            Progress progress = new Progress(log, ConsoleLines.of(request.verbose()),
                    build.auditContext(profile.getId()).withPolicy(decision.checks()));
            ArchivedArtifactStore store = new ArchivedArtifactStore(run, listener, progress::audited);
            InPlaceSigner signer = new InPlaceSigner(store, Files.createDirectory(work.resolve("artifacts")),
                    (path, sha256) -> {
                        progress.checkAudited(path);
                        approval.check(path, sha256);
                    });
            Path attestationDir = Files.createDirectory(work.resolve("attestations"));
            BuildAttestations attestations = request.attests()
                    ? new BuildAttestations(run, listener, request, build, profile.getId(), attestationDir) : null;
            Signed signed = signAll(profile, chain, options, deep, paths, progress, attestations, signer);
            List<ReportEntry> entries = new ArrayList<>();
            IOException auditFailure = progress.auditFailure();
            if (auditFailure != null) {
                String auditLog = AuditTrail.log().file().toString();
                Set<String> unpublished = store.unpublished();
                signed.artifacts().forEach(e -> entries.add(belongsTo(e.path(), unpublished)
                        ? AuditRecords.unaudited(List.of(e), auditLog).get(0) : e));
                entries.addAll(AuditRecords.unaudited(signed.attestations(), auditLog));
            } else {
                entries.addAll(signed.artifacts());
                entries.addAll(signed.attestations());
                ArchivedArtifacts.archive(run, attestationDir, BuildAttestations.files(signed.attestations()),
                        listener);
            }
            SignatureReports.record(run, entries, new PolicyDecision(profile.getId(), true, null, decision.checks()),
                    build.runContext(run, profile.getId()), listener);
            progress.printHeldLine(run.getUrl() + "signatures/");
            log.println("Signing with profile '" + profile.getId() + "': " + SigningSummary.summaryLine(entries)
                    + ". Details: " + run.getUrl() + "signatures/");
            if (auditFailure != null) {
                throw new IOException("The signing audit log " + AuditTrail.log().file() + " could not be written,"
                        + " so nothing signed was published" + (store.anyPublished() ? " from then on (the artifacts"
                        + " signed before have their audit records and were archived)" : ""), auditFailure);
            }
            return new SigningOutcome(entries, paths.size());
        } finally {
            Util.deleteRecursive(work.toFile());
        }
    }

    /** Whether a report entry is of one of {@code artifacts}, or of a file inside one ({@code app.zip!/bin/a.exe}). */
    private static boolean belongsTo(String entryPath, Set<String> artifacts) {
        int inside = entryPath.indexOf("!/");
        return artifacts.contains(inside < 0 ? entryPath : entryPath.substring(0, inside));
    }

    /**
     * The profile's usage policy with the build's origin and the TSA allow-list, before anything else: a refused
     * build touches no credential and no token. Every rule checked is logged and audited.
     */
    UsagePolicy.Decision checkPolicy(SigningProfile profile, RequestedSettings requested,
            BuildIdentity build) throws IOException {
        UsagePolicy.Decision decision;
        try {
            decision = profile.usagePolicy().check(build.policyRequest(profile.getId(), requested.overridesFormats(),
                    requested.overridesTsa()));
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        }
        if (requested.overridesTsa()) {
            decision = decision.with(HsmSigningConfiguration.get().tsaAllowList().check(profile.getId(),
                    profile.tsaUrlList(), requested.tsaUrls()));
        }
        PrintStream log = listener.getLogger();
        log.println("Signing profile '" + profile.getId() + "', rules checked for " + build.job() + ":");
        decision.describe().forEach(line -> log.println("  " + line));
        if (!decision.allowed()) {
            AuditTrail.append(List.of(AuditRecords.denied(build.auditContext(profile.getId())
                    .withPolicy(decision.checks()), decision.reason(), Instant.now())));
            throw new AbortException(decision.reason() + " Nothing was signed.");
        }
        if (build.head() != null) {
            log.println("Signing profile '" + profile.getId() + "' allows " + build.job() + " (" + build.head()
                    + ").");
        }
        return decision;
    }

    /** The entries of the artifacts signed, and of the attestations made of them. */
    private record Signed(List<ReportEntry> artifacts, List<ReportEntry> attestations) {
    }

    /**
     * Signs each artifact where it is archived (deep when {@code deep} is not null; see {@link InPlaceSigner}: a
     * copy only of what may change, its results archived as soon as it is audited), then attests with the same key
     * when asked to ({@code attestations} not null).
     */
    private Signed signAll(SigningProfile profile, List<X509Certificate> chain, SigningOptions options,
            InnerSelection deep, List<String> paths, Progress progress, BuildAttestations attestations,
            InPlaceSigner signer) throws InterruptedException, IOException {
        try (SigningKey key = profile.getKeySource().open(run, profile.getId(), chain,
                profile.getMaxConcurrentOperations())) {
            listener.getLogger().println("Key: " + key.description() + ", certificate "
                    + key.certificate().getSubjectX500Principal().getName());
            int threads = ProfileSettings.signingThreads(profile.getMaxConcurrentOperations());
            List<ReportEntry> entries = deep != null
                    ? signer.signAll(paths, threads, progress, new DeepSigner(key, options, deep)::sign)
                    : signer.signAll(paths, threads, progress, new ArtifactSigner(key, options));
            List<ReportEntry> attested = List.of();
            if (attestations != null) {
                attested = attestations.attest(key, entries);
                progress.accept(attested);
            }
            return new Signed(entries, attested);
        } catch (SigningException e) {
            listener.getLogger().println("Cannot use the key of signing profile '" + profile.getId() + "': "
                    + e.getMessage());
            List<ReportEntry> failed = SigningSummary.failAll(ReportEntry.SIGN, paths, e);
            progress.accept(failed);
            return new Signed(failed, List.of());
        }
    }

    /**
     * As each artifact is done (on the signing threads, one at a time): its log lines (failures always, the others
     * up to {@link ConsoleLines}' limit unless verbose) and its audit lines. If an audit line cannot be written,
     * nothing of the run is published.
     */
    private static final class Progress implements Consumer<List<ReportEntry>> {

        private final PrintStream log;
        private final ConsoleLines console;
        private final AuditRecords.Context context;
        private volatile IOException auditFailure;

        Progress(PrintStream log, ConsoleLines console, AuditRecords.Context context) {
            this.log = log;
            this.console = console;
            this.context = context;
        }

        /** "... and N more, see Signatures (URL)" when some results got no line. */
        synchronized void printHeldLine(String signaturesUrl) {
            String line = console.heldLine("Signatures (" + signaturesUrl + ")");
            if (line != null) {
                log.println("  " + line);
            }
        }

        @Override
        public synchronized void accept(List<ReportEntry> entries) {
            console.linesFor(entries).forEach(line -> log.println("  " + line));
            try {
                AuditTrail.append(AuditRecords.forSigning(entries, context, Clock.systemUTC()));
            } catch (IOException e) {
                if (auditFailure == null) {
                    auditFailure = e;
                }
            }
        }

        IOException auditFailure() {
            return auditFailure;
        }

        /** Whether every audit line so far was written: what is signed is published only then. */
        boolean audited() {
            return auditFailure == null;
        }

        /** Once an audit line could not be written, the key signs nothing more: its use could not be recorded. */
        void checkAudited(String path) throws SigningException {
            if (auditFailure != null) {
                throw new SigningException(SigningException.Kind.CONFIGURATION, "The artifact " + path + " was not"
                        + " signed: the signing audit log " + AuditTrail.log().file() + " could not be written.");
            }
        }
    }

    static SigningProfile profile(String id) throws AbortException {
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

    /** No key is opened unless its use can be recorded. */
    private static void checkAuditLog() throws AbortException {
        try {
            AuditTrail.checkWritable();
        } catch (IOException e) {
            throw new AbortException("The signing audit log " + AuditTrail.log().file() + " cannot be written ("
                    + e.getMessage() + "), so nothing is signed.");
        }
    }

    private static String describeFormats(SigningOptions options) {
        if (options.autoFormat()) {
            return "auto";
        }
        return options.formats().stream().map(Format::id).collect(Collectors.joining(", "));
    }
}
