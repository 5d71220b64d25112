package io.jenkins.plugins.hsmsigning.keyservice;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.AzureKeyVault;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A certificate in Azure Key Vault (or Managed HSM); the vault holds the certificate, the key signs digests. */
public class AzureKeyVaultKeySource extends AzureKeySourceConfig {

    private final String vault;
    private final String certificateName;

    @DataBoundConstructor
    public AzureKeyVaultKeySource(String vault, String certificateName) {
        this.vault = Util.fixEmptyAndTrim(vault);
        this.certificateName = Util.fixEmptyAndTrim(certificateName);
    }

    public String getVault() {
        return vault;
    }

    public String getCertificateName() {
        return certificateName;
    }

    @NonNull
    @Override
    protected ServiceKey serviceKey(@NonNull CredentialLookup credentials, @NonNull String profileId,
            @NonNull ServiceConnection connection) throws SigningException {
        try {
            return new ServiceKey(AzureKeyVault.of(getEndpoint() != null ? getEndpoint() : vault, certificateName,
                    identity(), connection), clientSecret(credentials, profileId));
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        }
    }

    @Extension
    @Symbol("azureKeyVault")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Azure Key Vault";
        }

        @POST
        public FormValidation doCheckVault(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The vault") : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckCertificateName(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The certificate name")
                    : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(StringCredentials.class, credentialsId);
        }

        @POST
        public FormValidation doTestConnection(@QueryParameter String vault, @QueryParameter String certificateName,
                @QueryParameter String endpoint, @QueryParameter String tenantId, @QueryParameter String clientId,
                @QueryParameter String authority, @QueryParameter String credentialsId,
                @QueryParameter boolean managedIdentity, @QueryParameter String certificateChain) {
            AzureKeyVaultKeySource source = new AzureKeyVaultKeySource(vault, certificateName);
            source.setEndpoint(endpoint);
            source.setTenantId(tenantId);
            source.setClientId(clientId);
            source.setAuthority(authority);
            source.setCredentialsId(credentialsId);
            source.setManagedIdentity(managedIdentity);
            return source.testConnection(certificateChain);
        }
    }
}
