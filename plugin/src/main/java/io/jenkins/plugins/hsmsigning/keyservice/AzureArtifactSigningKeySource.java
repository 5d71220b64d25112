package io.jenkins.plugins.hsmsigning.keyservice;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.AzureArtifactSigning;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A certificate profile of Azure Artifact Signing (formerly Trusted Signing), which issues short-lived certificates. */
public class AzureArtifactSigningKeySource extends AzureKeySourceConfig {

    private final String account;
    private final String certificateProfile;

    /** {@code endpoint} is the account's regional endpoint, e.g. https://weu.codesigning.azure.net. */
    @DataBoundConstructor
    public AzureArtifactSigningKeySource(String endpoint, String account, String certificateProfile) {
        setEndpoint(endpoint);
        this.account = Util.fixEmptyAndTrim(account);
        this.certificateProfile = Util.fixEmptyAndTrim(certificateProfile);
    }

    public String getAccount() {
        return account;
    }

    public String getCertificateProfile() {
        return certificateProfile;
    }

    @NonNull
    @Override
    protected ServiceKey serviceKey(@NonNull CredentialLookup credentials, @NonNull String profileId,
            @NonNull ServiceConnection connection) throws SigningException {
        try {
            return new ServiceKey(AzureArtifactSigning.of(getEndpoint(), account, certificateProfile, identity(),
                    connection), clientSecret(credentials, profileId));
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        }
    }

    @Extension
    @Symbol("azureArtifactSigning")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Azure Artifact Signing (Trusted Signing)";
        }

        @POST
        public FormValidation doCheckEndpoint(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The endpoint") : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(StringCredentials.class, credentialsId);
        }

        @POST
        public FormValidation doTestConnection(@QueryParameter String endpoint, @QueryParameter String account,
                @QueryParameter String certificateProfile, @QueryParameter String tenantId,
                @QueryParameter String clientId, @QueryParameter String authority,
                @QueryParameter String credentialsId, @QueryParameter boolean managedIdentity,
                @QueryParameter String certificateChain) {
            AzureArtifactSigningKeySource source = new AzureArtifactSigningKeySource(endpoint, account,
                    certificateProfile);
            source.setTenantId(tenantId);
            source.setClientId(clientId);
            source.setAuthority(authority);
            source.setCredentialsId(credentialsId);
            source.setManagedIdentity(managedIdentity);
            return source.testConnection(certificateChain);
        }
    }
}
