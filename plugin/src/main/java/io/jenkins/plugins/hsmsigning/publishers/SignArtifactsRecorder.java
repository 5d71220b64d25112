package io.jenkins.plugins.hsmsigning.publishers;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Publisher;
import hudson.tasks.Recorder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.approval.Approvals;
import io.jenkins.plugins.hsmsigning.approval.FreestyleApproval;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import io.jenkins.plugins.hsmsigning.signing.ArtifactSigningService;
import io.jenkins.plugins.hsmsigning.signing.DeepRequest;
import io.jenkins.plugins.hsmsigning.signing.SigningRequest;
import io.jenkins.plugins.hsmsigning.steps.SignArtifactsStep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle post-build action "Sign archived artifacts": the same parameters as {@code signArtifacts} and the
 * same code ({@link ArtifactSigningService}). It signs what the build archived, so it goes after "Archive the
 * artifacts"; it needs no workspace, and a build that already failed signs nothing.
 */
public class SignArtifactsRecorder extends Recorder implements SimpleBuildStep {

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
    public SignArtifactsRecorder(String profile) {
        this.profile = Util.fixEmptyAndTrim(profile);
    }

    public String getProfile() {
        return profile;
    }

    public String getIncludes() {
        return includes;
    }

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

    public List<String> getFormats() {
        return formats;
    }

    @DataBoundSetter
    public void setFormats(List<String> formats) {
        this.formats = formats == null ? new ArrayList<>() : new ArrayList<>(formats);
    }

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

    /** Jobs saved by older versions lack newer fields (XStream calls this after reading one). */
    protected Object readResolve() {
        if (formats == null) {
            formats = new ArrayList<>();
        }
        if (includes == null) {
            includes = ArtifactSelection.ALL;
        }
        return this;
    }

    @Override
    public boolean requiresWorkspace() {
        return false;
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

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull EnvVars env, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        Result result = run.getResult();
        if (result != null && result.isWorseThan(Result.UNSTABLE)) {
            listener.getLogger().println("The build has already failed (" + result + "), so nothing is signed.");
            return;
        }
        SigningRequest request = new SigningRequest(profile, includes, excludes, formats, tsaUrls, allowEmpty,
                replace, provenance, sboms, deepRequest(), verbose, programName, programUrl);
        if (Approvals.needed(request)) {
            FreestyleApproval.sign(run, listener, request).requireSuccess();
            return;
        }
        new ArtifactSigningService(run, listener).sign(request).requireSuccess();
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    /** After "Archive the artifacts" (ordinal 0) in the list of post-build actions. */
    @Extension(ordinal = -100)
    @Symbol("signArchivedArtifacts")
    public static final class DescriptorImpl extends BuildStepDescriptor<Publisher> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SignArtifactsRecorder_DisplayName();
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        /** The format ids for the check boxes. */
        public List<String> getFormatIds() {
            return ProfileSettings.formatIds();
        }

        @POST
        public ListBoxModel doFillProfileItems(@AncestorInPath Item item) {
            return SignArtifactsStep.DescriptorImpl.profileItems(item);
        }

        @POST
        public FormValidation doCheckProfile(@AncestorInPath Item item, @QueryParameter String value) {
            return SignArtifactsStep.DescriptorImpl.checkProfile(item, value);
        }

        @POST
        public FormValidation doCheckTsaUrls(@AncestorInPath Item item, @QueryParameter String value) {
            return SignArtifactsStep.DescriptorImpl.checkTsaUrls(item, value);
        }

        @POST
        public FormValidation doCheckProgramUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return SignArtifactsStep.DescriptorImpl.checkProgramUrl(item, value);
        }
    }
}
