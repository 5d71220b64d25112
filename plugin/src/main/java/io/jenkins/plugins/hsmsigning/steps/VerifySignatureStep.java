package io.jenkins.plugins.hsmsigning.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.attest.ProvenanceExpectations;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationMode;
import io.jenkins.plugins.hsmsigning.signing.ArtifactVerificationService;
import io.jenkins.plugins.hsmsigning.signing.DeepRequest;
import io.jenkins.plugins.hsmsigning.signing.SigningOutcome;
import io.jenkins.plugins.hsmsigning.signing.VerificationRequest;
import java.io.Serial;
import java.util.Map;
import java.util.Set;
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
 * {@code verifySignature(profile: 'release', includes: 'dist/**', source: 'archive')}: verifies every signature of
 * the build's archived artifacts (on the controller), or of workspace files ({@code source: 'workspace'}, inside a
 * {@code node} block, where the workspace is), against the profile's trust anchors or certificates given to the step.
 * With {@code deep: true} the files inside containers are verified too, each as its own entry
 * ({@code dist/app.zip!/bin/app.exe}). Records the results on the build's signature report, returns them, and fails
 * if any did not verify unless {@code failOnError: false}.
 */
public class VerifySignatureStep extends Step {

    private String profile;
    private String includes = ArtifactSelection.ALL;
    private String excludes;
    private String source = "archive";
    private String trustAnchors;
    private String pgpKeys;
    private String certificates;
    private String revocation;
    private boolean failOnError = true;
    private String expectedBuilderId;
    private String expectedSourceRepository;
    private String expectedBranch;
    private boolean deep;
    private String innerIncludes;
    private String innerExcludes;

    /** Every parameter is optional: a profile, or trust anchors or OpenPGP keys, must be given. */
    @DataBoundConstructor
    public VerifySignatureStep() {
    }

    public String getProfile() {
        return profile;
    }

    /** The signing profile whose trust anchors and signer certificates to verify against. */
    @DataBoundSetter
    public void setProfile(String profile) {
        this.profile = Util.fixEmptyAndTrim(profile);
    }

    public String getIncludes() {
        return includes;
    }

    /** Comma-separated Ant patterns; blank means every file. */
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

    /** {@code archive} (the default) or {@code workspace}. */
    public String getSource() {
        return source;
    }

    @DataBoundSetter
    public void setSource(String source) {
        this.source = VerificationRequest.Source.parse(source).id();
    }

    /** PEM root certificates that replace the profile's trust anchors. */
    public String getTrustAnchors() {
        return trustAnchors;
    }

    @DataBoundSetter
    public void setTrustAnchors(String trustAnchors) {
        this.trustAnchors = ConfigForms.lines(trustAnchors);
    }

    /** Armored OpenPGP public keys, in addition to those derived from the profile's signer certificate. */
    public String getPgpKeys() {
        return pgpKeys;
    }

    @DataBoundSetter
    public void setPgpKeys(String pgpKeys) {
        this.pgpKeys = ConfigForms.lines(pgpKeys);
    }

    /** PEM certificates that help build paths (intermediates, signer certificates), added to the profile's. */
    public String getCertificates() {
        return certificates;
    }

    @DataBoundSetter
    public void setCertificates(String certificates) {
        this.certificates = ConfigForms.lines(certificates);
    }

    /** {@code soft} or {@code strict} to raise the profile's revocation checking; blank keeps it. */
    public String getRevocation() {
        return revocation;
    }

    @DataBoundSetter
    public void setRevocation(String revocation) {
        this.revocation = Util.fixEmptyAndTrim(revocation);
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    @DataBoundSetter
    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }

    public String getExpectedBuilderId() {
        return expectedBuilderId;
    }

    /** The builder an attested provenance must name: the Jenkins root URL and job, as its builder id. */
    @DataBoundSetter
    public void setExpectedBuilderId(String expectedBuilderId) {
        this.expectedBuilderId = Util.fixEmptyAndTrim(expectedBuilderId);
    }

    public String getExpectedSourceRepository() {
        return expectedSourceRepository;
    }

    /** The source repository an attested provenance must name. */
    @DataBoundSetter
    public void setExpectedSourceRepository(String expectedSourceRepository) {
        this.expectedSourceRepository = Util.fixEmptyAndTrim(expectedSourceRepository);
    }

    public String getExpectedBranch() {
        return expectedBranch;
    }

    /** The branch an attested provenance must name. */
    @DataBoundSetter
    public void setExpectedBranch(String expectedBranch) {
        this.expectedBranch = Util.fixEmptyAndTrim(expectedBranch);
    }

    public boolean isDeep() {
        return deep;
    }

    /** Verify the files inside containers too (ZIP, JAR/WAR/EAR, NuGet, APPX/MSIX), each as its own entry. */
    @DataBoundSetter
    public void setDeep(boolean deep) {
        this.deep = deep;
    }

    public String getInnerIncludes() {
        return innerIncludes;
    }

    /** With {@code deep}: the inner files to verify, by their path inside the container; blank means all. */
    @DataBoundSetter
    public void setInnerIncludes(String innerIncludes) {
        this.innerIncludes = Util.fixEmptyAndTrim(innerIncludes);
    }

    public String getInnerExcludes() {
        return innerExcludes;
    }

    /** With {@code deep}: the inner files to leave out (third-party files not meant to be signed, say). */
    @DataBoundSetter
    public void setInnerExcludes(String innerExcludes) {
        this.innerExcludes = Util.fixEmptyAndTrim(innerExcludes);
    }

    VerificationRequest toRequest() {
        return new VerificationRequest(profile, includes, excludes, VerificationRequest.Source.parse(source),
                trustAnchors, pgpKeys, failOnError, certificates, revocation,
                new ProvenanceExpectations(expectedBuilderId, expectedSourceRepository, expectedBranch),
                new DeepRequest(deep, innerIncludes, innerExcludes, null));
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(toRequest(), context);
    }

    /** Runs off the CPS thread; a controller restart aborts it (it cannot resume), which is safe to re-run. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient VerificationRequest request;

        Execution(VerificationRequest request, StepContext context) {
            super(context);
            this.request = request;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            FilePath workspace = request.source() == VerificationRequest.Source.WORKSPACE
                    ? getContext().get(FilePath.class) : null;
            SigningOutcome outcome = new ArtifactVerificationService(run, listener).verify(request, workspace);
            if (request.failOnError()) {
                outcome.requireSuccess();
            }
            return outcome.toPipelineResult();
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        /** No workspace is required: archived artifacts are verified on the controller. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "verifySignature";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.VerifySignatureStep_DisplayName();
        }

        @POST
        public ListBoxModel doFillProfileItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            items.add("(none: trust anchors given below)", "");
            items.addAll(SignArtifactsStep.DescriptorImpl.profileItems(item));
            return items;
        }

        @POST
        public FormValidation doCheckProfile(@AncestorInPath Item item, @QueryParameter String value) {
            return SignArtifactsStep.DescriptorImpl.checkProfile(item, value);
        }

        @POST
        public ListBoxModel doFillSourceItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            items.add("Archived artifacts (on the controller)", "archive");
            items.add("Workspace files (where the workspace is; inside node)", "workspace");
            return items;
        }

        @POST
        public FormValidation doCheckTrustAnchors(@AncestorInPath Item item, @QueryParameter String value) {
            if (!SignArtifactsStep.DescriptorImpl.canConfigure(item) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            try {
                ProfileSettings.certificates(value, "trust anchors");
                return FormValidation.ok();
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckCertificates(@AncestorInPath Item item, @QueryParameter String value) {
            if (!SignArtifactsStep.DescriptorImpl.canConfigure(item) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            try {
                ProfileSettings.certificates(value, "certificates");
                return FormValidation.ok();
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public ListBoxModel doFillRevocationItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            items.add("(the profile's; soft without a profile)", "");
            if (SignArtifactsStep.DescriptorImpl.canConfigure(item)) {
                items.add("Soft: a revoked certificate fails, an unknown status warns", RevocationMode.SOFT.id());
                items.add("Strict: an unknown status fails too", RevocationMode.STRICT.id());
            }
            return items;
        }

        @POST
        public FormValidation doCheckPgpKeys(@AncestorInPath Item item, @QueryParameter String value) {
            if (!SignArtifactsStep.DescriptorImpl.canConfigure(item) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            try {
                new TrustSettings(null, null, value).options();
                return FormValidation.ok();
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
