package io.jenkins.plugins.hsmsigning.audit;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditQuery;
import io.jenkins.plugins.hsmsigning.signing.AuditTrail;
import java.io.IOException;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerProxy;

/**
 * Manage Jenkins » HSM signing audit log: the controller's signing audit log, newest first, filtered by profile and
 * job ({@code ?profile=release&job=team/**&page=2}), a page at a time. Administrators only: the link is shown to
 * them, and the page itself checks the permission too ({@link StaplerProxy}).
 */
@Extension
public class AuditLogLink extends ManagementLink implements StaplerProxy {

    @Override
    public String getIconFileName() {
        return "symbol-ribbon";
    }

    @Override
    public String getDisplayName() {
        return Messages.AuditLogLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.AuditLogLink_Description();
    }

    @Override
    public String getUrlName() {
        return "hsm-signing-audit";
    }

    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.ADMINISTER;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.SECURITY;
    }

    /** Every request to the page goes through here first. */
    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return this;
    }

    /** The page the request asks for (query parameters {@code profile}, {@code job}, {@code page}, {@code size}). */
    public AuditQuery.Page read(String profile, String job, String page, String size) throws IOException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return AuditQuery.parse(profile, job, page, size).read(AuditTrail.log());
    }

    /** The profile ids, for the filter's drop-down. */
    public List<String> getProfileIds() {
        return HsmSigningConfiguration.get().getProfiles().stream().map(SigningProfile::getId).toList();
    }

    public String getLogFile() {
        return AuditTrail.log().file().toString();
    }
}
