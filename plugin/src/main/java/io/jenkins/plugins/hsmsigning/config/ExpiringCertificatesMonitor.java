package io.jenkins.plugins.hsmsigning.config;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.expiry.CertificateExpiry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells administrators which signing profiles' signing certificate or issuer certificates expire within the
 * configured number of days ({@link HsmSigningConfiguration#getExpiryWarningDays()}) or have expired: code signing
 * stops on that day. Looks only at the certificate chain configured in each profile (which holds the key's
 * certificate for most key sources); it never contacts a token or a key service.
 */
@Extension
public class ExpiringCertificatesMonitor extends AdministrativeMonitor {

    /** One profile's certificate that expires soon, as said on the page. */
    public record ExpiringCertificate(String profile, String description, boolean expired) {
    }

    @Override
    public String getDisplayName() {
        return Messages.ExpiringCertificatesMonitor_DisplayName();
    }

    @Override
    public boolean isActivated() {
        return !getExpiringCertificates().isEmpty();
    }

    /** Every profile's expiring certificates, expired ones first within a profile; unreadable chains are skipped. */
    public List<ExpiringCertificate> getExpiringCertificates() {
        HsmSigningConfiguration config = HsmSigningConfiguration.get();
        int days = config.getExpiryWarningDays();
        Instant now = Instant.now();
        List<ExpiringCertificate> expiring = new ArrayList<>();
        for (SigningProfile profile : config.getProfiles()) {
            try {
                for (CertificateExpiry.Expiring e : CertificateExpiry.within(profile.certificateChainCertificates(),
                        days, now)) {
                    expiring.add(new ExpiringCertificate(profile.getId(), e.describe(now), e.expired()));
                }
            } catch (SigningException e) {
                // An unreadable chain is reported by the profile's form validation, not as an expiry.
            }
        }
        return expiring;
    }

    public int getWarningDays() {
        return HsmSigningConfiguration.get().getExpiryWarningDays();
    }
}
