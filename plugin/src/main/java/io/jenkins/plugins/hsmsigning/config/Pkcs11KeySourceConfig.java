package io.jenkins.plugins.hsmsigning.config;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.Messages;
import io.jenkins.plugins.hsmsigning.credentials.EngineSecrets;
import io.jenkins.plugins.hsmsigning.credentials.ProfileCredentials;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SharedLibraries;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.keys.TokenKey;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A key on a PKCS#11 token (an HSM), used on the controller through the PKCS#11 library installed there. The PIN is
 * a Secret text credential.
 */
public class Pkcs11KeySourceConfig extends KeySourceConfig {

    private final String library;
    private final String keyAlias;
    private final String pinCredentialsId;
    private String tokenLabel;
    private String slot;
    private String slotListIndex;

    @DataBoundConstructor
    public Pkcs11KeySourceConfig(String library, String keyAlias, String pinCredentialsId) {
        this.library = Util.fixEmptyAndTrim(library);
        this.keyAlias = Util.fixEmptyAndTrim(keyAlias);
        this.pinCredentialsId = Util.fixEmptyAndTrim(pinCredentialsId);
    }

    public String getLibrary() {
        return library;
    }

    public String getKeyAlias() {
        return keyAlias;
    }

    public String getPinCredentialsId() {
        return pinCredentialsId;
    }

    public String getTokenLabel() {
        return tokenLabel;
    }

    @DataBoundSetter
    public void setTokenLabel(String tokenLabel) {
        this.tokenLabel = Util.fixEmptyAndTrim(tokenLabel);
    }

    public String getSlot() {
        return slot;
    }

    /** The PKCS#11 slot id. */
    @DataBoundSetter
    public void setSlot(String slot) {
        this.slot = Util.fixEmptyAndTrim(slot);
    }

    public String getSlotListIndex() {
        return slotListIndex;
    }

    @DataBoundSetter
    public void setSlotListIndex(String slotListIndex) {
        this.slotListIndex = Util.fixEmptyAndTrim(slotListIndex);
    }

    @NonNull
    @Override
    public SigningKey open(@NonNull Run<?, ?> run, @NonNull String profileId,
            @NonNull List<X509Certificate> extraChain, int maxConcurrentOperations) throws SigningException {
        StringCredentials pin = ProfileCredentials.find(run, pinCredentialsId, StringCredentials.class,
                "the PIN of signing profile '" + profileId + "'", "Secret text");
        return EngineSecrets.open(toKeySource(library, tokenLabel, slot, slotListIndex, keyAlias)
                .certificateChain(extraChain).maxConcurrentOperations(maxConcurrentOperations), pin.getSecret());
    }

    static Pkcs11KeySource toKeySource(String library, String tokenLabel, String slot, String slotListIndex,
            String keyAlias) throws SigningException {
        ProfileSettings.checkTokenSelection(tokenLabel, slot, slotListIndex);
        return Pkcs11KeySource.library(libraryPath(library)).tokenLabel(tokenLabel)
                .slotId(ProfileSettings.slotId(slot)).slotListIndex(ProfileSettings.slotListIndex(slotListIndex))
                .keyAlias(keyAlias);
    }

    private static Path libraryPath(String library) throws SigningException {
        if (library == null || library.isBlank()) {
            throw new SigningException(SigningException.Kind.CONFIGURATION, "No PKCS#11 library is set.");
        }
        try {
            return Path.of(library.trim());
        } catch (InvalidPathException e) {
            throw new SigningException(SigningException.Kind.CONFIGURATION, "The PKCS#11 library path '" + library
                    + "' is not a valid path.", e);
        }
    }

    @Extension
    @Symbol("pkcs11")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.Pkcs11KeySourceConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckLibrary(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            // On the controller, where signing happens: it must be a shared library, not any readable file.
            return ConfigForms.check(() -> SharedLibraries.check(libraryPath(value)));
        }

        @POST
        public FormValidation doCheckTokenLabel(@QueryParameter String value, @QueryParameter String slot,
                @QueryParameter String slotListIndex) {
            return checkSelection(value, slot, slotListIndex);
        }

        @POST
        public FormValidation doCheckSlot(@QueryParameter String value, @QueryParameter String tokenLabel,
                @QueryParameter String slotListIndex) {
            return checkSelection(tokenLabel, value, slotListIndex);
        }

        @POST
        public FormValidation doCheckSlotListIndex(@QueryParameter String value, @QueryParameter String tokenLabel,
                @QueryParameter String slot) {
            return checkSelection(tokenLabel, slot, value);
        }

        private static FormValidation checkSelection(String tokenLabel, String slot, String slotListIndex) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.check(() -> ProfileSettings.checkTokenSelection(tokenLabel, slot, slotListIndex));
        }

        @POST
        public FormValidation doCheckKeyAlias(@QueryParameter String value) {
            if (!ConfigForms.canConfigure()) {
                return FormValidation.ok();
            }
            return ConfigForms.required(value, "The key alias");
        }

        @POST
        public FormValidation doCheckPinCredentialsId(@QueryParameter String value) {
            return ConfigForms.checkCredential(StringCredentials.class, value, "Secret text");
        }

        @POST
        public ListBoxModel doFillPinCredentialsIdItems(@QueryParameter String pinCredentialsId) {
            return ConfigForms.credentialItems(StringCredentials.class, pinCredentialsId);
        }

        /** Logs in with the global PIN credential and lists the keys on the token. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String library, @QueryParameter String tokenLabel,
                @QueryParameter String slot, @QueryParameter String slotListIndex, @QueryParameter String keyAlias,
                @QueryParameter String pinCredentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            StringCredentials pin = Util.fixEmptyAndTrim(pinCredentialsId) == null ? null
                    : CredentialsProvider.findCredentialByIdInItemGroup(pinCredentialsId.trim(),
                            StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.<DomainRequirement>of());
            if (pin == null) {
                return FormValidation.error("The test needs a global Secret text credential with the PIN.");
            }
            try {
                List<TokenKey> keys = EngineSecrets.listKeys(
                        toKeySource(library, Util.fixEmptyAndTrim(tokenLabel), Util.fixEmptyAndTrim(slot),
                                Util.fixEmptyAndTrim(slotListIndex), keyAlias), pin.getSecret());
                int days = HsmSigningConfiguration.get().getExpiryWarningDays();
                Instant now = Instant.now();
                String found = keys.stream().map(k -> k.describe(days, now)).collect(Collectors.joining("; "));
                String alias = Util.fixEmptyAndTrim(keyAlias);
                if (alias != null && keys.stream().noneMatch(k -> k.alias().equals(alias))) {
                    return FormValidation.warning("Logged in, but the token has no key '" + alias + "'. Keys: "
                            + (found.isEmpty() ? "none" : found));
                }
                if (keys.stream().anyMatch(k -> (alias == null || k.alias().equals(alias))
                        && k.expiresWithin(days, now))) {
                    return FormValidation.warning("Logged in, but a certificate expires soon or has expired. Keys: "
                            + found);
                }
                return FormValidation.ok("Logged in. Keys: " + (found.isEmpty() ? "none" : found));
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
