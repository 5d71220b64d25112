package io.jenkins.plugins.hsmsigning.keyservice;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import io.jenkins.plugins.hsmsigning.engine.cloud.SslComESigner;
import java.util.Arrays;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A certificate in SSL.com eSigner: the account is a Username with password credential, the TOTP secret a Secret
 * text credential.
 */
public class SslComESignerKeySource extends KeyServiceConfig {

    private final String credentialId;
    private String credentialsId;
    private String totpCredentialsId;
    private String loginEndpoint;

    @DataBoundConstructor
    public SslComESignerKeySource(String credentialId) {
        this.credentialId = Util.fixEmptyAndTrim(credentialId);
    }

    /** The eSigner credential id (a certificate of the account), not a Jenkins credential. */
    public String getCredentialId() {
        return credentialId;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getTotpCredentialsId() {
        return totpCredentialsId;
    }

    @DataBoundSetter
    public void setTotpCredentialsId(String totpCredentialsId) {
        this.totpCredentialsId = Util.fixEmptyAndTrim(totpCredentialsId);
    }

    public String getLoginEndpoint() {
        return loginEndpoint;
    }

    @DataBoundSetter
    public void setLoginEndpoint(String loginEndpoint) {
        this.loginEndpoint = Util.fixEmptyAndTrim(loginEndpoint);
    }

    @NonNull
    @Override
    protected ServiceKey serviceKey(@NonNull CredentialLookup credentials, @NonNull String profileId,
            @NonNull ServiceConnection connection) throws SigningException {
        StandardUsernamePasswordCredentials account = credentials.find(credentialsId,
                StandardUsernamePasswordCredentials.class, "the SSL.com account of signing profile '" + profileId
                        + "'", "Username with password", false);
        StringCredentials totp = credentials.find(totpCredentialsId, StringCredentials.class,
                "the SSL.com TOTP secret of signing profile '" + profileId + "'", "Secret text", false);
        char[] totpChars = totp.getSecret().getPlainText().toCharArray();
        try (io.jenkins.plugins.hsmsigning.engine.Secret totpSecret =
                io.jenkins.plugins.hsmsigning.engine.Secret.of(totpChars)) {
            return new ServiceKey(SslComESigner.of(getEndpoint(), loginEndpoint, null, account.getUsername(),
                    credentialId, totpSecret, connection), account.getPassword());
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        } finally {
            Arrays.fill(totpChars, '\0');
        }
    }

    @Extension
    @Symbol("sslComESigner")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return "SSL.com eSigner";
        }

        @POST
        public FormValidation doCheckCredentialId(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The eSigner credential id")
                    : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(StandardUsernamePasswordCredentials.class, credentialsId);
        }

        @POST
        public ListBoxModel doFillTotpCredentialsIdItems(@QueryParameter String totpCredentialsId) {
            return ConfigForms.credentialItems(StringCredentials.class, totpCredentialsId);
        }

        @POST
        public FormValidation doTestConnection(@QueryParameter String credentialId, @QueryParameter String endpoint,
                @QueryParameter String loginEndpoint, @QueryParameter String credentialsId,
                @QueryParameter String totpCredentialsId, @QueryParameter String certificateChain) {
            SslComESignerKeySource source = new SslComESignerKeySource(credentialId);
            source.setEndpoint(endpoint);
            source.setLoginEndpoint(loginEndpoint);
            source.setCredentialsId(credentialsId);
            source.setTotpCredentialsId(totpCredentialsId);
            return source.testConnection(certificateChain);
        }
    }
}
