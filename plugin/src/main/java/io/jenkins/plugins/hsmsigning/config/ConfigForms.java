package io.jenkins.plugins.hsmsigning.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.expiry.CertificateExpiry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Shared pieces of the profile forms. Profiles are global configuration, so every check and drop-down requires
 * Overall/Administer, and credentials are listed as the global configuration sees them (the consumer guide's
 * {@code item == null} case).
 */
public final class ConfigForms {

    /** Validation code that turns a setting into engine terms. */
    interface Check {
        void run() throws SigningException;
    }

    private ConfigForms() {
    }

    /** Text from a text area, trimmed, with the CR LF line ends browsers submit turned into LF; blank is null. */
    public static String lines(String text) {
        String trimmed = Util.fixEmptyAndTrim(text);
        return trimmed == null ? null : trimmed.replace("\r\n", "\n").replace('\r', '\n');
    }

    /**
     * A connection test's answer naming the key's certificate and when it expires: a warning when that is within the
     * configured days ({@link HsmSigningConfiguration#getExpiryWarningDays()}) or past.
     */
    public static FormValidation certificateValidity(String opened, X509Certificate certificate) {
        int days = HsmSigningConfiguration.get().getExpiryWarningDays();
        Instant now = Instant.now();
        String message = opened + ": " + certificate.getSubjectX500Principal().getName() + ", "
                + CertificateExpiry.validity(certificate, days, now);
        return CertificateExpiry.within(List.of(certificate), days, now).isEmpty() ? FormValidation.ok(message)
                : FormValidation.warning(message);
    }

    public static boolean canConfigure() {
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    /** OK, or the engine's one-sentence message as an error. */
    static FormValidation check(Check check) {
        try {
            check.run();
            return FormValidation.ok();
        } catch (SigningException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    public static FormValidation required(String value, String what) {
        return value == null || value.isBlank() ? FormValidation.error(what + " is required.") : FormValidation.ok();
    }

    public static <C extends StandardCredentials> ListBoxModel credentialItems(Class<C> type, String current) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!canConfigure()) {
            return model.includeCurrentValue(Util.fixNull(current));
        }
        model.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, List.<DomainRequirement>of(),
                        CredentialsMatchers.always())
                .includeCurrentValue(Util.fixNull(current));
        return model;
    }

    /**
     * The credential must be chosen and be in the global credential store: that is the only store a profile's
     * credentials are read from ({@code credentials.ProfileCredentials}).
     */
    public static <C extends StandardCredentials> FormValidation checkCredential(Class<C> type, String value,
            String kind) {
        if (!canConfigure()) {
            return FormValidation.ok();
        }
        if (value == null || value.isBlank()) {
            return FormValidation.error("Choose a " + kind + " credential.");
        }
        if (CredentialsProvider.listCredentialsInItemGroup(type, Jenkins.get(), ACL.SYSTEM2,
                List.<DomainRequirement>of(), CredentialsMatchers.withId(value)).isEmpty()) {
            return FormValidation.error("No global " + kind + " credential has the id '" + value + "'. A signing"
                    + " profile's credentials are read from the global credential store only (not from folders,"
                    + " users or build parameters).");
        }
        return FormValidation.ok();
    }
}
