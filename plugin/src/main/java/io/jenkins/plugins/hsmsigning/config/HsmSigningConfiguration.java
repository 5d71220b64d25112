package io.jenkins.plugins.hsmsigning.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.expiry.CertificateExpiry;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TsaAllowList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The signing profiles of this controller and the hosts of time-stamp authorities builds may name (Manage Jenkins »
 * System, and JCasC {@code unclassified: hsmSigning:}).
 */
@Extension
@Symbol("hsmSigning")
public class HsmSigningConfiguration extends GlobalConfiguration {

    /** The longest warning before expiry an admin may set: a year and a half. */
    public static final int MAX_EXPIRY_WARNING_DAYS = 548;

    private List<SigningProfile> profiles = new ArrayList<>();
    private String allowedTsaHosts;
    /* Null in configurations saved before it existed: the default. */
    private Integer expiryWarningDays;

    public HsmSigningConfiguration() {
        load();
    }

    public static HsmSigningConfiguration get() {
        return ExtensionList.lookupSingleton(HsmSigningConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.HsmSigningConfiguration_DisplayName();
    }

    public List<SigningProfile> getProfiles() {
        return Collections.unmodifiableList(profiles);
    }

    /** Replaces all profiles (forms and JCasC); ids must be valid and unique. */
    @DataBoundSetter
    public void setProfiles(List<SigningProfile> profiles) {
        List<SigningProfile> copy = profiles == null ? new ArrayList<>() : new ArrayList<>(profiles);
        try {
            validate(copy);
        } catch (SigningException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.profiles = copy;
        save();
    }

    private static void validate(List<SigningProfile> profiles) throws SigningException {
        List<String> ids = new ArrayList<>();
        for (SigningProfile p : profiles) {
            ProfileSettings.checkId(p.getId());
            ids.add(p.getId());
            p.approvalRules();
        }
        ProfileSettings.checkUniqueIds(ids);
    }

    /** Hosts of time-stamp authorities a step may name besides its profile's ({@link TsaAllowList}). */
    public String getAllowedTsaHosts() {
        return allowedTsaHosts;
    }

    @DataBoundSetter
    public void setAllowedTsaHosts(String allowedTsaHosts) {
        String lines = ConfigForms.lines(allowedTsaHosts);
        try {
            TsaAllowList.parse(lines, "TSA allow-list");
        } catch (SigningException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.allowedTsaHosts = lines;
        save();
    }

    /** The TSA allow-list; an unreadable one (edited on disk) allows nothing beyond the profiles' authorities. */
    public TsaAllowList tsaAllowList() {
        try {
            return TsaAllowList.parse(allowedTsaHosts, "TSA allow-list");
        } catch (SigningException e) {
            return TsaAllowList.none();
        }
    }

    @POST
    public FormValidation doCheckAllowedTsaHosts(@QueryParameter String value) {
        if (!ConfigForms.canConfigure()) {
            return FormValidation.ok();
        }
        return ConfigForms.check(() -> TsaAllowList.parse(value, "TSA allow-list"));
    }

    /**
     * How many days before a profile's signing certificate or an issuer expires the administrative monitor warns
     * ({@link ExpiringCertificatesMonitor}).
     */
    public int getExpiryWarningDays() {
        return expiryWarningDays == null ? CertificateExpiry.DEFAULT_WARNING_DAYS : expiryWarningDays;
    }

    @DataBoundSetter
    public void setExpiryWarningDays(int expiryWarningDays) {
        this.expiryWarningDays = checkedWarningDays(expiryWarningDays);
        save();
    }

    private static int checkedWarningDays(int days) {
        if (days < 0 || days > MAX_EXPIRY_WARNING_DAYS) {
            throw new IllegalArgumentException("The days of warning before a certificate expires must be between 0"
                    + " and " + MAX_EXPIRY_WARNING_DAYS + " (it is " + days + ").");
        }
        return days;
    }

    @POST
    public FormValidation doCheckExpiryWarningDays(@QueryParameter String value) {
        if (!ConfigForms.canConfigure()) {
            return FormValidation.ok();
        }
        try {
            checkedWarningDays(Integer.parseInt(value.trim()));
            return FormValidation.ok();
        } catch (NumberFormatException e) {
            return FormValidation.error("Enter a whole number of days.");
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @CheckForNull
    public SigningProfile getProfile(String id) {
        for (SigningProfile p : profiles) {
            if (p.getId().equals(id)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Binds the profiles and the TSA allow-list itself rather than through {@code bindJSON(this, json)}, which would
     * log and swallow the setters' refusal of a bad id or host; a form without profiles (the last one was deleted)
     * clears the list.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Object submitted = json.opt("profiles");
        List<SigningProfile> bound = submitted == null ? List.of()
                : req.bindJSONToList(SigningProfile.class, submitted);
        String hosts = ConfigForms.lines(json.optString("allowedTsaHosts", null));
        try {
            validate(bound);
        } catch (SigningException e) {
            throw new FormException(e.getMessage(), "profiles");
        }
        try {
            TsaAllowList.parse(hosts, "TSA allow-list");
        } catch (SigningException e) {
            throw new FormException(e.getMessage(), "allowedTsaHosts");
        }
        int days;
        try {
            days = checkedWarningDays(json.optInt("expiryWarningDays", getExpiryWarningDays()));
        } catch (IllegalArgumentException e) {
            throw new FormException(e.getMessage(), "expiryWarningDays");
        }
        this.allowedTsaHosts = hosts;
        this.expiryWarningDays = days;
        setProfiles(bound);
        return true;
    }
}
