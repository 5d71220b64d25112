package io.jenkins.plugins.hsmsigning.config;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
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
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.security.cert.X509Certificate;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A software key from a Certificate credential (PKCS#12), for development and tests: the key is not protected by
 * hardware.
 */
public class Pkcs12KeySourceConfig extends KeySourceConfig {

    private final String credentialsId;
    private String keyAlias;

    @DataBoundConstructor
    public Pkcs12KeySourceConfig(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getKeyAlias() {
        return keyAlias;
    }

    /** Needed only when the keystore holds several keys. */
    @DataBoundSetter
    public void setKeyAlias(String keyAlias) {
        this.keyAlias = Util.fixEmptyAndTrim(keyAlias);
    }

    @NonNull
    @Override
    public SigningKey open(@NonNull Run<?, ?> run, @NonNull String profileId,
            @NonNull List<X509Certificate> extraChain, int maxConcurrentOperations) throws SigningException {
        StandardCertificateCredentials credential = ProfileCredentials.find(run, credentialsId,
                StandardCertificateCredentials.class, "the key of signing profile '" + profileId + "'", "Certificate");
        return EngineSecrets.openKeyStore(credential.getKeyStore(), credential.getPassword(),
                "of credential '" + credentialsId + "'", keyAlias, extraChain);
    }

    @Extension
    @Symbol("pkcs12")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.Pkcs12KeySourceConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value) {
            return ConfigForms.checkCredential(StandardCertificateCredentials.class, value, "Certificate");
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(StandardCertificateCredentials.class, credentialsId);
        }

        @POST
        public FormValidation doCheckKeyAlias(@QueryParameter String value) {
            if (!ConfigForms.canConfigure() || Util.fixEmptyAndTrim(value) != null) {
                return FormValidation.ok();
            }
            return FormValidation.ok("Without an alias the keystore must hold exactly one key.");
        }

        /**
         * Opens the key of the global Certificate credential and shows its certificate, or the exact reason it
         * cannot be used.
         */
        @POST
        public FormValidation doTestConnection(@QueryParameter String credentialsId, @QueryParameter String keyAlias) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String id = Util.fixEmptyAndTrim(credentialsId);
            StandardCertificateCredentials credential = id == null ? null
                    : CredentialsProvider.findCredentialByIdInItemGroup(id, StandardCertificateCredentials.class,
                            Jenkins.get(), ACL.SYSTEM2, List.<DomainRequirement>of());
            if (credential == null) {
                return FormValidation.error("The test needs a global Certificate credential.");
            }
            try (SigningKey key = EngineSecrets.openKeyStore(credential.getKeyStore(), credential.getPassword(),
                    "of credential '" + id + "'", Util.fixEmptyAndTrim(keyAlias), List.of())) {
                return ConfigForms.certificateValidity("Opened " + key.description(), key.certificate());
            } catch (SigningException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
