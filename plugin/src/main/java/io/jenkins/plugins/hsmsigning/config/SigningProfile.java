package io.jenkins.plugins.hsmsigning.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.approval.ApprovalSettings;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRules;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import io.jenkins.plugins.hsmsigning.engine.profile.RequestedSettings;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationMode;
import io.jenkins.plugins.hsmsigning.engine.expiry.CertificateExpiry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A named way to sign, defined once by an administrator: the key, the certificates that go with it, the default
 * formats, digest and timestamping, the trust anchors verification uses, and who may use it (jobs, where their
 * script comes from, branches) and what builds may change. Holds no secret.
 *
 * <p>A new profile is closed: no job may use it until an admin names jobs or chooses "any job", and it requires a
 * Pipeline script from SCM, no replay and no change request from a fork. A profile saved before these settings
 * existed loads as it behaved: its missing settings are filled in by {@link #readResolve()}.
 */
public class SigningProfile extends AbstractDescribableImpl<SigningProfile> {

    private final String id;
    private String description;
    private KeySourceConfig keySource;
    private String certificateChain;
    private List<String> formats = new ArrayList<>();
    private String digestAlgorithm = DigestAlgorithm.SHA256.jcaName();
    private String tsaUrls;
    private boolean timestampRequired;
    private String tsaTruststore;
    private boolean replace;
    private String programName;
    private String programUrl;
    private boolean deep;
    private int maxConcurrentOperations = Pkcs11KeySource.DEFAULT_MAX_CONCURRENT_OPERATIONS;
    private String trustAnchors;
    private String certificates;
    private boolean systemTrust;
    private String tsaTrustAnchors;
    private String revocation = RevocationMode.SOFT.id();
    private String crlFiles;
    private boolean revocationOnline;
    private String allowedJobs;
    private String allowedBranches;
    private boolean lockFormats;
    private boolean lockTsa;
    /** Approval before signing (docs/approvals.md); null: none. */
    private ApprovalSettings approval;
    /* Boxed: absent (null) in profiles saved before they existed, which keep their old behaviour (readResolve). */
    private Boolean anyJob = false;
    private Boolean scriptFromScmOnly = true;
    private Boolean allowReplay = false;
    private Boolean allowForkChangeRequests = false;
    private String allowedRepositories;
    private String freestyleJobs;

    @DataBoundConstructor
    public SigningProfile(String id) {
        this.id = Util.fixEmptyAndTrim(id);
    }

    public String getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(String description) {
        this.description = Util.fixEmptyAndTrim(description);
    }

    public KeySourceConfig getKeySource() {
        return keySource;
    }

    @DataBoundSetter
    public void setKeySource(KeySourceConfig keySource) {
        this.keySource = keySource;
    }

    /** Issuer certificates (PEM) to add to the key's own when the token holds only the leaf. */
    public String getCertificateChain() {
        return certificateChain;
    }

    @DataBoundSetter
    public void setCertificateChain(String certificateChain) {
        this.certificateChain = Util.fixEmptyAndTrim(certificateChain);
    }

    /**
     * Format ids ({@code cms}, {@code pgp}, {@code authenticode}, {@code jar}) in the engine's canonical order,
     * whatever order they were given in, so that a profile saved from the form equals its JCasC definition; empty
     * means auto.
     */
    public List<String> getFormats() {
        return formats;
    }

    @DataBoundSetter
    public void setFormats(List<String> formats) {
        this.formats = ProfileSettings.canonicalFormats(formats);
    }

    public String getDigestAlgorithm() {
        return digestAlgorithm;
    }

    @DataBoundSetter
    public void setDigestAlgorithm(String digestAlgorithm) {
        this.digestAlgorithm = Util.fixEmptyAndTrim(digestAlgorithm);
    }

    /** RFC 3161 time-stamp authority URLs, one per line, tried in order. */
    public String getTsaUrls() {
        return tsaUrls;
    }

    @DataBoundSetter
    public void setTsaUrls(String tsaUrls) {
        this.tsaUrls = Util.fixEmptyAndTrim(tsaUrls);
    }

    public boolean isTimestampRequired() {
        return timestampRequired;
    }

    @DataBoundSetter
    public void setTimestampRequired(boolean timestampRequired) {
        this.timestampRequired = timestampRequired;
    }

    /**
     * Replace the Authenticode signatures artifacts already carry, for every build using this profile; otherwise
     * they are kept and the new signature is nested, unless a build asks to replace them.
     */
    public boolean isReplace() {
        return replace;
    }

    @DataBoundSetter
    public void setReplace(boolean replace) {
        this.replace = replace;
    }

    /** Authenticode: the program name Windows shows, unless a build gives its own. */
    public String getProgramName() {
        return programName;
    }

    @DataBoundSetter
    public void setProgramName(String programName) {
        this.programName = Util.fixEmptyAndTrim(programName);
    }

    /**
     * CA certificates (PEM) trusted for the HTTPS of the time-stamp authorities besides the Java runtime's, for a
     * private authority; as {@code hsmsign --tsa-truststore}. Only the TLS connection: which timestamps count is
     * decided by {@link #getTsaTrustAnchors()}.
     */
    public String getTsaTruststore() {
        return tsaTruststore;
    }

    @DataBoundSetter
    public void setTsaTruststore(String tsaTruststore) {
        this.tsaTruststore = Util.fixEmptyAndTrim(tsaTruststore);
    }

    /** The certificates of {@link #getTsaTruststore()}; empty when blank. */
    public List<X509Certificate> tsaTruststoreCertificates() throws SigningException {
        return ProfileSettings.certificates(tsaTruststore, "time-stamp authority TLS trust store of signing profile '"
                + id + "'");
    }

    /** Authenticode: the program's web page (http or https), unless a build gives its own. */
    public String getProgramUrl() {
        return programUrl;
    }

    @DataBoundSetter
    public void setProgramUrl(String programUrl) {
        this.programUrl = Util.fixEmptyAndTrim(programUrl);
    }

    /**
     * Deep-sign for every build using this profile: open containers and sign the files inside first; otherwise only
     * builds that ask for it ({@code deep: true}) do.
     */
    public boolean isDeep() {
        return deep;
    }

    @DataBoundSetter
    public void setDeep(boolean deep) {
        this.deep = deep;
    }

    public int getMaxConcurrentOperations() {
        return maxConcurrentOperations;
    }

    @DataBoundSetter
    public void setMaxConcurrentOperations(int maxConcurrentOperations) {
        this.maxConcurrentOperations = maxConcurrentOperations;
    }

    /** Root certificates (PEM) that signatures made with this profile are verified against. */
    public String getTrustAnchors() {
        return trustAnchors;
    }

    @DataBoundSetter
    public void setTrustAnchors(String trustAnchors) {
        this.trustAnchors = Util.fixEmptyAndTrim(trustAnchors);
    }

    /** Certificates (PEM) that help build paths to the trust anchors; never trusted by themselves. */
    public String getCertificates() {
        return certificates;
    }

    @DataBoundSetter
    public void setCertificates(String certificates) {
        this.certificates = ConfigForms.lines(certificates);
    }

    /** Whether the Java runtime's CA certificates are trust anchors too, as for vendor-signed JARs. */
    public boolean isSystemTrust() {
        return systemTrust;
    }

    @DataBoundSetter
    public void setSystemTrust(boolean systemTrust) {
        this.systemTrust = systemTrust;
    }

    /** Root certificates (PEM) time-stamp authorities must chain to; blank means the trust anchors. */
    public String getTsaTrustAnchors() {
        return tsaTrustAnchors;
    }

    @DataBoundSetter
    public void setTsaTrustAnchors(String tsaTrustAnchors) {
        this.tsaTrustAnchors = ConfigForms.lines(tsaTrustAnchors);
    }

    /** {@code off}, {@code soft} (the default) or {@code strict}. */
    public String getRevocation() {
        return revocation;
    }

    @DataBoundSetter
    public void setRevocation(String revocation) {
        this.revocation = Util.fixEmptyAndTrim(revocation) == null ? RevocationMode.SOFT.id() : revocation.trim();
    }

    /** Paths of CRL files on the controller, one per line, read at every verification. */
    public String getCrlFiles() {
        return crlFiles;
    }

    @DataBoundSetter
    public void setCrlFiles(String crlFiles) {
        this.crlFiles = ConfigForms.lines(crlFiles);
    }

    /** Whether the OCSP responders and CRL distribution points that certificates name may be contacted. */
    public boolean isRevocationOnline() {
        return revocationOnline;
    }

    @DataBoundSetter
    public void setRevocationOnline(boolean revocationOnline) {
        this.revocationOnline = revocationOnline;
    }

    /**
     * Patterns over job full names (one per line, {@code releases/**} for a folder) of the jobs that may sign with
     * this profile; blank allows no job unless {@link #isAnyJob()}.
     */
    public String getAllowedJobs() {
        return allowedJobs;
    }

    @DataBoundSetter
    public void setAllowedJobs(String allowedJobs) {
        this.allowedJobs = ConfigForms.lines(allowedJobs);
    }

    /**
     * Patterns over branch and tag names ({@code main}, {@code release/*}, {@code v*}) that multibranch jobs must
     * match; blank allows every branch, and jobs that are not multibranch.
     */
    public String getAllowedBranches() {
        return allowedBranches;
    }

    @DataBoundSetter
    public void setAllowedBranches(String allowedBranches) {
        this.allowedBranches = ConfigForms.lines(allowedBranches);
    }

    /** Whether builds must use the profile's formats. */
    public boolean isLockFormats() {
        return lockFormats;
    }

    @DataBoundSetter
    public void setLockFormats(boolean lockFormats) {
        this.lockFormats = lockFormats;
    }

    /** Whether builds must use the profile's time-stamp authorities. */
    public boolean isLockTsa() {
        return lockTsa;
    }

    @DataBoundSetter
    public void setLockTsa(boolean lockTsa) {
        this.lockTsa = lockTsa;
    }

    /** Approval before signing; null when builds sign without asking. */
    public ApprovalSettings getApproval() {
        return approval;
    }

    @DataBoundSetter
    public void setApproval(ApprovalSettings approval) {
        this.approval = approval;
    }

    /** Who must approve before this profile signs; {@link ApprovalRules#NONE} without an approval block. */
    public ApprovalRules approvalRules() throws SigningException {
        if (approval == null) {
            return ApprovalRules.NONE;
        }
        try {
            return approval.rules();
        } catch (SigningException e) {
            throw new SigningException(e.kind(), "Signing profile '" + id + "': " + e.getMessage(), e);
        }
    }

    /** Every job may use this profile, whatever {@link #getAllowedJobs()} says. */
    public boolean isAnyJob() {
        return Boolean.TRUE.equals(anyJob);
    }

    @DataBoundSetter
    public void setAnyJob(boolean anyJob) {
        this.anyJob = anyJob;
    }

    /**
     * The build's script must come from SCM (a multibranch project, or "Pipeline script from SCM"); inline scripts
     * are refused, and jobs configured in the web UI unless listed in {@link #getFreestyleJobs()}.
     */
    public boolean isScriptFromScmOnly() {
        return Boolean.TRUE.equals(scriptFromScmOnly);
    }

    @DataBoundSetter
    public void setScriptFromScmOnly(boolean scriptFromScmOnly) {
        this.scriptFromScmOnly = scriptFromScmOnly;
    }

    /** Builds that run a script taken from an earlier build (replay, rebuild, restart from a stage) may sign. */
    public boolean isAllowReplay() {
        return Boolean.TRUE.equals(allowReplay);
    }

    @DataBoundSetter
    public void setAllowReplay(boolean allowReplay) {
        this.allowReplay = allowReplay;
    }

    /** Change requests from forks may sign (where the allowed branches include them). */
    public boolean isAllowForkChangeRequests() {
        return Boolean.TRUE.equals(allowForkChangeRequests);
    }

    @DataBoundSetter
    public void setAllowForkChangeRequests(boolean allowForkChangeRequests) {
        this.allowForkChangeRequests = allowForkChangeRequests;
    }

    /**
     * Repository URL patterns, one per line ({@code https://github.com/acme/app}, {@code github.com/acme/*}), that
     * every repository a build's script came from must match; blank allows any repository.
     */
    public String getAllowedRepositories() {
        return allowedRepositories;
    }

    @DataBoundSetter
    public void setAllowedRepositories(String allowedRepositories) {
        this.allowedRepositories = ConfigForms.lines(allowedRepositories);
    }

    /**
     * Full names of jobs configured in the web UI (freestyle) that may sign although the script must come from SCM:
     * whoever may configure such a job decides what it signs.
     */
    public String getFreestyleJobs() {
        return freestyleJobs;
    }

    @DataBoundSetter
    public void setFreestyleJobs(String freestyleJobs) {
        this.freestyleJobs = ConfigForms.lines(freestyleJobs);
    }

    /**
     * What a request will use, worked out once: the policy and the signing options both come from it.
     * {@code requestedFormats} replaces the profile's formats unless empty, {@code requestedTsaUrls} its time-stamp
     * authorities unless null.
     */
    public RequestedSettings requestedSettings(List<String> requestedFormats, String requestedTsaUrls)
            throws SigningException {
        return RequestedSettings.of(formats, tsaUrls, requestedFormats, requestedTsaUrls, "formats");
    }

    /** The engine options for a request whose settings {@link #requestedSettings} worked out. */
    public SigningOptions signingOptions(RequestedSettings request) throws SigningException {
        return ProfileSettings.options(request, digestAlgorithm, timestampRequired);
    }

    /** Who may use this profile, and what a build may change. */
    public UsagePolicy usagePolicy() throws SigningException {
        return ProfileSettings.usagePolicy(allowedJobs, allowedBranches, lockFormats, lockTsa, isAnyJob(),
                isScriptFromScmOnly(), isAllowReplay(), allowedRepositories, isAllowForkChangeRequests(),
                freestyleJobs);
    }

    /** The profile's own time-stamp authority URLs. */
    public List<String> tsaUrlList() {
        return ProfileSettings.urls(tsaUrls);
    }

    /**
     * What signatures made with this profile are verified against: its trust anchors (and the Java runtime's CAs if
     * chosen), the keys of the signer certificates in its certificate chain as OpenPGP keys, and its X.509 settings
     * (path-building certificates, time-stamp authority anchors, revocation with the CRL files read now). Nothing is
     * read from the token.
     */
    public TrustSettings trustSettings() throws SigningException {
        return new TrustSettings(trustAnchors,
                TrustSettings.pem(TrustSettings.endEntityCertificates(certificateChainCertificates())), null)
                .withX509(certificates, systemTrust, tsaTrustAnchors, revocation,
                        ProfileSettings.crlsPem(crlFiles, "CRL files of signing profile '" + id + "'"),
                        revocationOnline);
    }

    public List<X509Certificate> certificateChainCertificates() throws SigningException {
        return ProfileSettings.certificates(certificateChain, "certificate chain of signing profile '" + id + "'");
    }

    public List<X509Certificate> trustAnchorCertificates() throws SigningException {
        return ProfileSettings.certificates(trustAnchors, "trust anchors of signing profile '" + id + "'");
    }

    /**
     * Profiles saved by older versions lack newer fields (XStream calls this after reading one). A profile saved
     * before the origin settings keeps behaving as it did: blank allowed jobs meant every job, and scripts of any
     * origin, replays and forks could sign. The administrative monitor lists such open profiles.
     */
    protected Object readResolve() {
        formats = ProfileSettings.canonicalFormats(formats);
        if (anyJob == null) {
            anyJob = allowedJobs == null;
        }
        if (scriptFromScmOnly == null) {
            scriptFromScmOnly = false;
        }
        if (allowReplay == null) {
            allowReplay = true;
        }
        if (allowForkChangeRequests == null) {
            allowForkChangeRequests = true;
        }
        if (revocation == null) {
            revocation = RevocationMode.SOFT.id();
        }
        if (maxConcurrentOperations <= 0) {
            maxConcurrentOperations = Pkcs11KeySource.DEFAULT_MAX_CONCURRENT_OPERATIONS;
        }
        return this;
    }

    @Override
    public String toString() {
        return "SigningProfile[" + id + "]";
    }

    @Extension
    public static class DescriptorImpl extends Descriptor<SigningProfile> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SigningProfile_DisplayName();
        }

        /** The format ids for the check boxes. */
        public List<String> getFormatIds() {
            return ProfileSettings.formatIds();
        }

        /** A check box's label: the format's id and what it makes. */
        public String formatLabel(String id) {
            return ProfileSettings.formatLabel(id);
        }

        /**
         * The certificates of a PEM setting as the form lists them, one line each (subject and expiry), so that the
         * page shows them without the PEM text, which stays collapsed behind an edit control.
         */
        public List<String> describeCertificates(String pem) {
            if (!ConfigForms.canConfigure()) {
                return List.of();
            }
            try {
                List<X509Certificate> certificates = ProfileSettings.certificates(pem, "certificates");
                if (certificates.isEmpty()) {
                    return List.of("None");
                }
                int days = HsmSigningConfiguration.get().getExpiryWarningDays();
                Instant now = Instant.now();
                return certificates.stream().map(c -> c.getSubjectX500Principal().getName() + " — "
                        + CertificateExpiry.validity(c, days, now)).toList();
            } catch (SigningException e) {
                return List.of(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckId(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.checkId(Util.fixEmptyAndTrim(value)));
        }

        @POST
        public FormValidation doCheckDescription(@QueryParameter String value) {
            if (!ConfigForms.canConfigure() || Util.fixEmptyAndTrim(value) != null) {
                return FormValidation.ok();
            }
            return FormValidation.ok("A description helps pipeline authors choose the right profile.");
        }

        @POST
        public FormValidation doCheckCertificateChain(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.certificates(value, "certificate chain"));
        }

        @POST
        public ListBoxModel doFillDigestAlgorithmItems() {
            ListBoxModel items = new ListBoxModel();
            if (ConfigForms.canConfigure()) {
                for (DigestAlgorithm d : DigestAlgorithm.values()) {
                    items.add(d.jcaName());
                }
            }
            return items;
        }

        @POST
        public FormValidation doCheckProgramUrl(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.programUrl(value, "Program URL"));
        }

        @POST
        public FormValidation doCheckDigestAlgorithm(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.digest(value));
        }

        @POST
        public FormValidation doCheckTsaUrls(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.timestamps(value, false));
        }

        @POST
        public FormValidation doCheckTsaTruststore(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.certificates(value,
                    "time-stamp authority TLS trust store"));
        }

        @POST
        public FormValidation doCheckTimestampRequired(@QueryParameter boolean value, @QueryParameter String tsaUrls) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.timestamps(tsaUrls, value));
        }

        @POST
        public FormValidation doCheckMaxConcurrentOperations(@QueryParameter int value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.checkMaxConcurrentOperations(value));
        }

        @POST
        public FormValidation doCheckTrustAnchors(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.certificates(value, "trust anchors"));
        }

        @POST
        public FormValidation doCheckCertificates(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.certificates(value, "certificates"));
        }

        @POST
        public FormValidation doCheckTsaTrustAnchors(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.certificates(value, "time-stamp authority trust anchors"));
        }

        @POST
        public ListBoxModel doFillRevocationItems() {
            ListBoxModel items = new ListBoxModel();
            if (ConfigForms.canConfigure()) {
                items.add("Soft: a revoked certificate fails, an unknown status warns", RevocationMode.SOFT.id());
                items.add("Strict: an unknown status fails too", RevocationMode.STRICT.id());
                items.add("Off: not checked", RevocationMode.OFF.id());
            }
            return items;
        }

        @POST
        public FormValidation doCheckRevocation(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> RevocationMode.parse(value, "revocation checking"));
        }

        @POST
        public FormValidation doCheckCrlFiles(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.crlsPem(value, "CRL files"));
        }

        @POST
        public FormValidation doCheckRevocationOnline(@QueryParameter boolean value) {
            if (!ConfigForms.canConfigure() || !value) {
                return FormValidation.ok();
            }
            return FormValidation.warning("The controller (or the agent, for workspace files) will contact the OCSP"
                    + " and CRL URLs written in certificates that chain to this profile's trust anchors, 10 seconds"
                    + " at most per request, without following redirects.");
        }

        @POST
        public FormValidation doCheckAllowedJobs(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok("Blank: no job may sign with this profile unless \"Any job\" is chosen.");
            }
            return ConfigForms.check(() -> ProfileSettings.patterns(value, "allowed jobs"));
        }

        @POST
        public FormValidation doCheckAnyJob(@QueryParameter boolean value) {
            if (!ConfigForms.canConfigure() || !value) {
                return FormValidation.ok();
            }
            return FormValidation.warning("Every job of this controller may use this profile's key (within the other"
                    + " settings): anyone who can configure any job can sign with it.");
        }

        @POST
        public FormValidation doCheckScriptFromScmOnly(@QueryParameter boolean value) {
            if (!ConfigForms.canConfigure() || value) {
                return FormValidation.ok();
            }
            return FormValidation.warning("Inline Pipeline scripts may sign: anyone who can configure an allowed job"
                    + " can sign anything with this key.");
        }

        @POST
        public FormValidation doCheckAllowReplay(@QueryParameter boolean value) {
            if (!ConfigForms.canConfigure() || !value) {
                return FormValidation.ok();
            }
            return FormValidation.warning("Replayed builds may sign: anyone with Run/Replay on an allowed job can run"
                    + " an edited script as that job and branch and sign anything with this key.");
        }

        @POST
        public FormValidation doCheckAllowedRepositories(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok("Blank: scripts from any repository may sign.");
            }
            return ConfigForms.check(() -> ProfileSettings.repositoryPatterns(value, "allowed repositories"));
        }

        @POST
        public FormValidation doCheckFreestyleJobs(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.jobNames(value, "freestyle jobs"));
        }

        @POST
        public FormValidation doCheckAllowedBranches(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok("Blank: any branch, tag or change request (change requests from forks"
                        + " only if allowed below), and jobs that are not multibranch, may sign.");
            }
            return ConfigForms.check(() -> ProfileSettings.headPatterns(value, "allowed branches"));
        }

        @POST
        public FormValidation doCheckLockTsa(@QueryParameter boolean value, @QueryParameter String tsaUrls) {
            if (!ConfigForms.canConfigure() || !value || Util.fixEmptyAndTrim(tsaUrls) != null) {
                return FormValidation.ok();
            }
            return FormValidation.ok("With no authority set and the authorities locked, builds sign without"
                    + " timestamps.");
        }
    }
}
