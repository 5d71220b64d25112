package io.jenkins.plugins.hsmsigning.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.AccessControlled;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.approval.ApprovalStepExecution;
import io.jenkins.plugins.hsmsigning.approval.Approvals;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import io.jenkins.plugins.hsmsigning.signing.ArtifactSigningService;
import io.jenkins.plugins.hsmsigning.signing.DeepRequest;
import io.jenkins.plugins.hsmsigning.signing.SigningRequest;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code signArtifacts(profile: 'release', includes: 'dist/**', formats: ['authenticode', 'cms'])}: signs the
 * build's archived artifacts on the controller, so no {@code node} is needed and neither key nor PIN reaches an
 * agent. Returns counts and per-artifact results; fails, after recording the report, if any signature failed.
 */
public class SignArtifactsStep extends Step {

    private final String profile;
    private String includes = ArtifactSelection.ALL;
    private String excludes;
    private List<String> formats = new ArrayList<>();
    private String tsaUrls;
    private boolean allowEmpty;
    private boolean verbose;
    private boolean replace;
    private String programName;
    private String programUrl;
    private boolean provenance;
    private String sboms;
    private boolean deep;
    private String innerIncludes;
    private String innerExcludes;
    private String innerDetached;

    @DataBoundConstructor
    public SignArtifactsStep(String profile) {
        this.profile = Util.fixEmptyAndTrim(profile);
    }

    public String getProfile() {
        return profile;
    }

    public String getIncludes() {
        return includes;
    }

    /** Comma-separated Ant patterns, relative to the build's artifacts; blank means all of them. */
    @DataBoundSetter
    public void setIncludes(String includes) {
        this.includes = Util.fixEmptyAndTrim(includes) == null ? ArtifactSelection.ALL : includes.trim();
    }

    public String getExcludes() {
        return excludes;
    }

    @DataBoundSetter
    public void setExcludes(String excludes) {
        this.excludes = Util.fixEmptyAndTrim(excludes);
    }

    /** Formats that replace the profile's; empty means the profile's. A profile may forbid it. */
    public List<String> getFormats() {
        return formats;
    }

    @DataBoundSetter
    public void setFormats(List<String> formats) {
        this.formats = formats == null ? new ArrayList<>() : new ArrayList<>(formats);
    }

    /**
     * Time-stamp authority URLs (separated by spaces or new lines) that replace the profile's; blank means the
     * profile's. A profile may forbid it.
     */
    public String getTsaUrls() {
        return tsaUrls;
    }

    @DataBoundSetter
    public void setTsaUrls(String tsaUrls) {
        this.tsaUrls = Util.fixEmptyAndTrim(tsaUrls);
    }

    public boolean isAllowEmpty() {
        return allowEmpty;
    }

    @DataBoundSetter
    public void setAllowEmpty(boolean allowEmpty) {
        this.allowEmpty = allowEmpty;
    }

    /** One log line per artifact for all of them, not only the first 50 and the failures. */
    public boolean isVerbose() {
        return verbose;
    }

    @DataBoundSetter
    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    /**
     * Replace the Authenticode signatures an artifact already carries; unchecked, they are kept and the new one is
     * nested (unless the profile replaces them).
     */
    public boolean isReplace() {
        return replace;
    }

    public boolean isProvenance() {
        return provenance;
    }

    /** Also sign the SLSA provenance of the signed artifacts, archived as {@code provenance.sigstore.json}. */
    @DataBoundSetter
    public void setProvenance(boolean provenance) {
        this.provenance = provenance;
    }

    public String getSboms() {
        return sboms;
    }

    /** Ant patterns of archived CycloneDX or SPDX JSON SBOMs, each attested about the artifacts it describes. */
    @DataBoundSetter
    public void setSboms(String sboms) {
        this.sboms = Util.fixEmptyAndTrim(sboms);
    }

    @DataBoundSetter
    public void setReplace(boolean replace) {
        this.replace = replace;
    }

    /** Authenticode: the program name Windows shows; blank takes the signing profile's. */
    public String getProgramName() {
        return programName;
    }

    @DataBoundSetter
    public void setProgramName(String programName) {
        this.programName = Util.fixEmptyAndTrim(programName);
    }

    /** Authenticode: the program's web page (http or https); blank takes the signing profile's. */
    public String getProgramUrl() {
        return programUrl;
    }

    @DataBoundSetter
    public void setProgramUrl(String programUrl) {
        this.programUrl = Util.fixEmptyAndTrim(programUrl);
    }

    public boolean isDeep() {
        return deep;
    }

    /** Open ZIP, JAR/WAR/EAR, NuGet and APPX/MSIX containers and sign the files inside first, then the container. */
    @DataBoundSetter
    public void setDeep(boolean deep) {
        this.deep = deep;
    }

    public String getInnerIncludes() {
        return innerIncludes;
    }

    /** With deep: comma-separated patterns over paths inside a container; blank means every inner file. */
    @DataBoundSetter
    public void setInnerIncludes(String innerIncludes) {
        this.innerIncludes = Util.fixEmptyAndTrim(innerIncludes);
    }

    public String getInnerExcludes() {
        return innerExcludes;
    }

    @DataBoundSetter
    public void setInnerExcludes(String innerExcludes) {
        this.innerExcludes = Util.fixEmptyAndTrim(innerExcludes);
    }

    public String getInnerDetached() {
        return innerDetached;
    }

    /** With deep: inner files that also get a detached CMS signature beside them inside the container. */
    @DataBoundSetter
    public void setInnerDetached(String innerDetached) {
        this.innerDetached = Util.fixEmptyAndTrim(innerDetached);
    }

    private DeepRequest deepRequest() {
        return new DeepRequest(deep, innerIncludes, innerExcludes, innerDetached);
    }

    SigningRequest toRequest() {
        return new SigningRequest(profile, includes, excludes, formats, tsaUrls, allowEmpty, replace, provenance,
                sboms, deepRequest(), verbose, programName, programUrl);
    }

    /** A profile that needs approval waits for it without holding a thread ({@link ApprovalStepExecution}). */
    @Override
    public StepExecution start(StepContext context) throws Exception {
        SigningRequest request = toRequest();
        return Approvals.needed(request) ? new ApprovalStepExecution(request, context) : new Execution(request,
                context);
    }

    /** Runs off the CPS thread; a controller restart aborts it (it cannot resume), which is safe to re-run. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient SigningRequest request;

        Execution(SigningRequest request, StepContext context) {
            super(context);
            this.request = request;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            return new ArtifactSigningService(run, listener).sign(request).requireSuccess().toPipelineResult();
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        /** Shared with the freestyle recorder and {@code verifySignature}: the same forms, the same checks. */
        public static ListBoxModel profileItems(Item item) {
            ListBoxModel items = new ListBoxModel();
            if (canConfigure(item)) {
                for (SigningProfile p : HsmSigningConfiguration.get().getProfiles()) {
                    items.add(p.getDescription() == null ? p.getId() : p.getId() + " - " + p.getDescription(),
                            p.getId());
                }
            }
            return items;
        }

        public static FormValidation checkProfile(Item item, String value) {
            if (!canConfigure(item) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            return HsmSigningConfiguration.get().getProfile(value.trim()) == null
                    ? FormValidation.error("There is no signing profile '" + value.trim() + "'.")
                    : FormValidation.ok();
        }

        /** Shared with the freestyle recorder: the Authenticode program URL must be http or https. */
        public static FormValidation checkProgramUrl(Item item, String value) {
            if (!canConfigure(item)) {
                return FormValidation.ok();
            }
            try {
                ProfileSettings.programUrl(value, "Program URL");
                return FormValidation.ok();
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        public static FormValidation checkTsaUrls(Item item, String value) {
            if (!canConfigure(item) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            try {
                ProfileSettings.timestamps(value, false);
                return FormValidation.ok();
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "signArtifacts";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SignArtifactsStep_DisplayName();
        }

        /** The format ids for the check boxes. */
        public List<String> getFormatIds() {
            return ProfileSettings.formatIds();
        }

        static boolean canConfigure(Item item) {
            AccessControlled context = item != null ? item : Jenkins.get();
            return context.hasPermission(Item.CONFIGURE);
        }

        @POST
        public ListBoxModel doFillProfileItems(@AncestorInPath Item item) {
            return profileItems(item);
        }

        @POST
        public FormValidation doCheckProfile(@AncestorInPath Item item, @QueryParameter String value) {
            return checkProfile(item, value);
        }

        @POST
        public FormValidation doCheckTsaUrls(@AncestorInPath Item item, @QueryParameter String value) {
            return checkTsaUrls(item, value);
        }

        @POST
        public FormValidation doCheckProgramUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return checkProgramUrl(item, value);
        }

        @POST
        public FormValidation doCheckIncludes(@AncestorInPath Item item, @QueryParameter String value) {
            if (!canConfigure(item) || Util.fixEmptyAndTrim(value) != null) {
                return FormValidation.ok();
            }
            return FormValidation.ok("Blank signs every archived artifact (except signature files).");
        }
    }
}
