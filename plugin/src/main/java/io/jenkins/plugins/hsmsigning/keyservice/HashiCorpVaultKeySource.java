package io.jenkins.plugins.hsmsigning.keyservice;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.HashiCorpVault;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A key in HashiCorp Vault's transit engine. The Secret text credential is a Vault token, or, with a role id, the
 * AppRole's secret id.
 */
public class HashiCorpVaultKeySource extends KeyServiceConfig {

    private final String address;
    private final String keyName;
    private String mount;
    private String roleId;
    private String namespace;
    private String credentialsId;

    @DataBoundConstructor
    public HashiCorpVaultKeySource(String address, String keyName) {
        this.address = Util.fixEmptyAndTrim(address);
        this.keyName = Util.fixEmptyAndTrim(keyName);
    }

    public String getAddress() {
        return address;
    }

    public String getKeyName() {
        return keyName;
    }

    public String getMount() {
        return mount;
    }

    @DataBoundSetter
    public void setMount(String mount) {
        this.mount = Util.fixEmptyAndTrim(mount);
    }

    public String getRoleId() {
        return roleId;
    }

    @DataBoundSetter
    public void setRoleId(String roleId) {
        this.roleId = Util.fixEmptyAndTrim(roleId);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @NonNull
    @Override
    protected ServiceKey serviceKey(@NonNull CredentialLookup credentials, @NonNull String profileId,
            @NonNull ServiceConnection connection) throws SigningException {
        StringCredentials secret = credentials.find(credentialsId, StringCredentials.class, (roleId == null
                ? "the Vault token" : "the AppRole secret id") + " of signing profile '" + profileId + "'",
                "Secret text", false);
        try {
            return new ServiceKey(HashiCorpVault.of(address, mount, keyName, roleId, namespace, connection),
                    secret.getSecret());
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        }
    }

    @Extension
    @Symbol("hashiCorpVault")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return "HashiCorp Vault (transit)";
        }

        @POST
        public FormValidation doCheckAddress(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The address") : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckKeyName(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The key name") : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(StringCredentials.class, credentialsId);
        }

        @POST
        public FormValidation doTestConnection(@QueryParameter String address, @QueryParameter String keyName,
                @QueryParameter String mount, @QueryParameter String roleId, @QueryParameter String namespace,
                @QueryParameter String credentialsId, @QueryParameter String certificateChain) {
            HashiCorpVaultKeySource source = new HashiCorpVaultKeySource(address, keyName);
            source.setMount(mount);
            source.setRoleId(roleId);
            source.setNamespace(namespace);
            source.setCredentialsId(credentialsId);
            return source.testConnection(certificateChain);
        }
    }
}
