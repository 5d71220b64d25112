package io.jenkins.plugins.hsmsigning.keyservice;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.AzureIdentity;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The Azure identity shared by Key Vault and Artifact Signing: a service principal whose client secret is a Secret
 * text credential, or the controller's managed identity.
 */
public abstract class AzureKeySourceConfig extends KeyServiceConfig {

    private String tenantId;
    private String clientId;
    private String authority;
    private String credentialsId;
    private boolean managedIdentity;

    public String getTenantId() {
        return tenantId;
    }

    @DataBoundSetter
    public void setTenantId(String tenantId) {
        this.tenantId = Util.fixEmptyAndTrim(tenantId);
    }

    public String getClientId() {
        return clientId;
    }

    @DataBoundSetter
    public void setClientId(String clientId) {
        this.clientId = Util.fixEmptyAndTrim(clientId);
    }

    public String getAuthority() {
        return authority;
    }

    @DataBoundSetter
    public void setAuthority(String authority) {
        this.authority = Util.fixEmptyAndTrim(authority);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public boolean isManagedIdentity() {
        return managedIdentity;
    }

    @DataBoundSetter
    public void setManagedIdentity(boolean managedIdentity) {
        this.managedIdentity = managedIdentity;
    }

    protected AzureIdentity identity() throws SigningException {
        try {
            return managedIdentity ? AzureIdentity.managedIdentity(null, clientId)
                    : AzureIdentity.servicePrincipal(tenantId, clientId, authority);
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        }
    }

    /** The client secret, or null for a managed identity. */
    @CheckForNull
    protected Secret clientSecret(CredentialLookup credentials, String profileId) throws SigningException {
        if (managedIdentity) {
            return null;
        }
        return credentials.find(credentialsId, StringCredentials.class, "the Azure client secret of signing profile '"
                + profileId + "'", "Secret text", false).getSecret();
    }
}
