package io.jenkins.plugins.hsmsigning.keyservice;

import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.ClientCertificate;
import io.jenkins.plugins.hsmsigning.engine.cloud.DigiCertKeyLocker;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import java.util.Arrays;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A certificate in DigiCert ONE Software Trust Manager (KeyLocker): the API key is a Secret text credential, the
 * client authentication certificate a Certificate credential.
 */
public class DigiCertKeyLockerKeySource extends KeyServiceConfig {

    private final String certificateAlias;
    private String credentialsId;
    private String clientCertificateCredentialsId;

    @DataBoundConstructor
    public DigiCertKeyLockerKeySource(String certificateAlias) {
        this.certificateAlias = Util.fixEmptyAndTrim(certificateAlias);
    }

    public String getCertificateAlias() {
        return certificateAlias;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getClientCertificateCredentialsId() {
        return clientCertificateCredentialsId;
    }

    @DataBoundSetter
    public void setClientCertificateCredentialsId(String clientCertificateCredentialsId) {
        this.clientCertificateCredentialsId = Util.fixEmptyAndTrim(clientCertificateCredentialsId);
    }

    @NonNull
    @Override
    protected ServiceKey serviceKey(@NonNull CredentialLookup credentials, @NonNull String profileId,
            @NonNull ServiceConnection connection) throws SigningException {
        StringCredentials apiKey = credentials.find(credentialsId, StringCredentials.class,
                "the DigiCert API key of signing profile '" + profileId + "'", "Secret text", false);
        StandardCertificateCredentials client = credentials.find(clientCertificateCredentialsId,
                StandardCertificateCredentials.class, "the DigiCert client certificate of signing profile '"
                        + profileId + "'", "Certificate", false);
        char[] password = client.getPassword().getPlainText().toCharArray();
        try (io.jenkins.plugins.hsmsigning.engine.Secret secret =
                io.jenkins.plugins.hsmsigning.engine.Secret.of(password)) {
            ClientCertificate certificate = ClientCertificate.of(client.getKeyStore(), secret,
                    "of credential '" + clientCertificateCredentialsId + "'");
            return new ServiceKey(DigiCertKeyLocker.of(getEndpoint(), certificateAlias, certificate, connection),
                    apiKey.getSecret());
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Extension
    @Symbol("digiCertKeyLocker")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return "DigiCert KeyLocker (Software Trust Manager)";
        }

        @POST
        public FormValidation doCheckCertificateAlias(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The certificate alias")
                    : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(StringCredentials.class, credentialsId);
        }

        @POST
        public ListBoxModel doFillClientCertificateCredentialsIdItems(
                @QueryParameter String clientCertificateCredentialsId) {
            return ConfigForms.credentialItems(StandardCertificateCredentials.class, clientCertificateCredentialsId);
        }

        @POST
        public FormValidation doTestConnection(@QueryParameter String certificateAlias,
                @QueryParameter String endpoint, @QueryParameter String credentialsId,
                @QueryParameter String clientCertificateCredentialsId, @QueryParameter String certificateChain) {
            DigiCertKeyLockerKeySource source = new DigiCertKeyLockerKeySource(certificateAlias);
            source.setEndpoint(endpoint);
            source.setCredentialsId(credentialsId);
            source.setClientCertificateCredentialsId(clientCertificateCredentialsId);
            return source.testConnection(certificateChain);
        }
    }
}
