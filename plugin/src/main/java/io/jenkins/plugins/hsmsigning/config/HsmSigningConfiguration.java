package io.jenkins.plugins.hsmsigning.config;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The signing profiles of this controller (Manage Jenkins » System, and JCasC {@code unclassified: hsmSigning:}).
 */
@Extension
@Symbol("hsmSigning")
public class HsmSigningConfiguration extends GlobalConfiguration {

    private List<SigningProfile> profiles = new ArrayList<>();

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
     * Binds the profiles itself rather than through {@code bindJSON(this, json)}, which would log and swallow the
     * setter's refusal of a bad id; a form without profiles (the last one was deleted) clears the list.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Object submitted = json.opt("profiles");
        List<SigningProfile> bound = submitted == null ? List.of()
                : req.bindJSONToList(SigningProfile.class, submitted);
        try {
            validate(bound);
        } catch (SigningException e) {
            throw new FormException(e.getMessage(), "profiles");
        }
        setProfiles(bound);
        return true;
    }
}
