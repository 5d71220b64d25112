package io.jenkins.plugins.hsmsigning.config;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells administrators which signing profiles are open to every job, every branch, inline scripts, replayed builds
 * or change requests from forks: typically profiles saved before those settings existed, which keep behaving as they
 * did until an admin closes them. Dismissing it is the admin's explicit acceptance.
 */
@Extension
public class OpenProfilesMonitor extends AdministrativeMonitor {

    /** A profile and what it is open to. */
    public record OpenProfile(String id, String openTo) {
    }

    @Override
    public String getDisplayName() {
        return Messages.OpenProfilesMonitor_DisplayName();
    }

    @Override
    public boolean isSecurity() {
        return true;
    }

    @Override
    public boolean isActivated() {
        return !getOpenProfiles().isEmpty();
    }

    /** The open profiles; a profile whose policy cannot be read is listed as open to everything it could be. */
    public List<OpenProfile> getOpenProfiles() {
        List<OpenProfile> open = new ArrayList<>();
        for (SigningProfile profile : HsmSigningConfiguration.get().getProfiles()) {
            List<String> openings;
            try {
                openings = profile.usagePolicy().openings();
            } catch (SigningException e) {
                openings = List.of("an unreadable policy (" + e.getMessage() + ")");
            }
            if (!openings.isEmpty()) {
                open.add(new OpenProfile(profile.getId(), String.join(", ", openings)));
            }
        }
        return open;
    }
}
