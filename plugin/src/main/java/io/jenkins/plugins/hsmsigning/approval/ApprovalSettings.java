package io.jenkins.plugins.hsmsigning.approval;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRules;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The approval block of a signing profile ({@code approval:} in JCasC): how many distinct approvers must agree
 * before a build signs, who they are (users and groups), how long a build waits, and whether administrators and the
 * build's own starter and change authors may be among them (four eyes: no, by default). A profile without this
 * block, or with 0 approvals, signs without asking.
 */
public class ApprovalSettings extends AbstractDescribableImpl<ApprovalSettings> {

    public static final int DEFAULT_TIMEOUT_HOURS = (int) ApprovalRules.DEFAULT_TIMEOUT.toHours();

    private final int approvalsRequired;
    private String approvers;
    private String approverGroups;
    private int timeoutHours = DEFAULT_TIMEOUT_HOURS;
    private boolean administratorsMayApprove;
    private boolean authorsMayApprove;

    @DataBoundConstructor
    public ApprovalSettings(int approvalsRequired) {
        this.approvalsRequired = approvalsRequired;
    }

    public int getApprovalsRequired() {
        return approvalsRequired;
    }

    /** User ids, one per line or separated by commas. */
    public String getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(String approvers) {
        this.approvers = lines(approvers);
    }

    /** Group names of the security realm, one per line or separated by commas. */
    public String getApproverGroups() {
        return approverGroups;
    }

    @DataBoundSetter
    public void setApproverGroups(String approverGroups) {
        this.approverGroups = lines(approverGroups);
    }

    public int getTimeoutHours() {
        return timeoutHours;
    }

    @DataBoundSetter
    public void setTimeoutHours(int timeoutHours) {
        this.timeoutHours = timeoutHours;
    }

    public boolean isAdministratorsMayApprove() {
        return administratorsMayApprove;
    }

    @DataBoundSetter
    public void setAdministratorsMayApprove(boolean administratorsMayApprove) {
        this.administratorsMayApprove = administratorsMayApprove;
    }

    /** Whether the user who started the build and the authors of its changes may approve it. */
    public boolean isAuthorsMayApprove() {
        return authorsMayApprove;
    }

    @DataBoundSetter
    public void setAuthorsMayApprove(boolean authorsMayApprove) {
        this.authorsMayApprove = authorsMayApprove;
    }

    /** The engine's rules, user ids and group names in the security realm's canonical form. */
    public ApprovalRules rules() throws SigningException {
        return ApprovalRules.of(approvalsRequired,
                JenkinsIdentities.canonicalUsers(ApprovalRules.names(approvers)),
                JenkinsIdentities.canonicalGroups(ApprovalRules.names(approverGroups)),
                Duration.ofHours(timeoutHours), administratorsMayApprove, authorsMayApprove);
    }

    /** Profiles saved before the timeout existed read 0. */
    protected Object readResolve() {
        if (timeoutHours <= 0) {
            timeoutHours = DEFAULT_TIMEOUT_HOURS;
        }
        return this;
    }

    private static String lines(String text) {
        String trimmed = Util.fixEmptyAndTrim(text);
        return trimmed == null ? null : trimmed.replace("\r\n", "\n").replace('\r', '\n');
    }

    @Extension
    public static class DescriptorImpl extends Descriptor<ApprovalSettings> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ApprovalSettings_DisplayName();
        }

        @POST
        public FormValidation doCheckApprovalsRequired(@QueryParameter int value, @QueryParameter String approvers,
                @QueryParameter String approverGroups, @QueryParameter int timeoutHours) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            if (value == 0) {
                return FormValidation.ok("0: builds sign without approval.");
            }
            try {
                ApprovalRules.of(value, ApprovalRules.names(approvers), ApprovalRules.names(approverGroups),
                        Duration.ofHours(timeoutHours <= 0 ? DEFAULT_TIMEOUT_HOURS : timeoutHours), false, false);
                return FormValidation.ok();
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckTimeoutHours(@QueryParameter int value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            long max = ApprovalRules.MAX_TIMEOUT.toHours();
            return value >= 1 && value <= max ? FormValidation.ok()
                    : FormValidation.error("The approval timeout must be between 1 and " + max + " hours.");
        }

        @POST
        public FormValidation doCheckAdministratorsMayApprove(@QueryParameter boolean value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER) || !value) {
                return FormValidation.ok();
            }
            return FormValidation.warning("Administrators can change this profile and its approvers; letting them"
                    + " approve weakens the separation of duties. They must still be listed as approvers.");
        }
    }
}
