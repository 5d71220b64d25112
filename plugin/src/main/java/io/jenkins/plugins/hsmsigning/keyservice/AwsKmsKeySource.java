package io.jenkins.plugins.hsmsigning.keyservice;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.AwsKms;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An asymmetric key in AWS KMS. The credential is a Username with password (access key id and secret access key);
 * without one, the controller's default AWS credentials (environment, ECS task role, EC2 instance profile).
 */
public class AwsKmsKeySource extends KeyServiceConfig {

    private final String region;
    private final String keyId;
    private String credentialsId;
    private String sessionTokenCredentialsId;

    @DataBoundConstructor
    public AwsKmsKeySource(String region, String keyId) {
        this.region = Util.fixEmptyAndTrim(region);
        this.keyId = Util.fixEmptyAndTrim(keyId);
    }

    public String getRegion() {
        return region;
    }

    public String getKeyId() {
        return keyId;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getSessionTokenCredentialsId() {
        return sessionTokenCredentialsId;
    }

    /** A Secret text credential with the session token of temporary credentials, or blank. */
    @DataBoundSetter
    public void setSessionTokenCredentialsId(String sessionTokenCredentialsId) {
        this.sessionTokenCredentialsId = Util.fixEmptyAndTrim(sessionTokenCredentialsId);
    }

    @NonNull
    @Override
    protected ServiceKey serviceKey(@NonNull CredentialLookup credentials, @NonNull String profileId,
            @NonNull ServiceConnection connection) throws SigningException {
        StandardUsernamePasswordCredentials accessKey = credentials.find(credentialsId,
                StandardUsernamePasswordCredentials.class, "the AWS access key of signing profile '" + profileId
                        + "'", "Username with password", true);
        StringCredentials sessionToken = credentials.find(sessionTokenCredentialsId, StringCredentials.class,
                "the AWS session token of signing profile '" + profileId + "'", "Secret text", true);
        try {
            AwsKms kms = AwsKms.of(region, keyId, getEndpoint(), accessKey == null ? null : accessKey.getUsername(),
                    connection);
            if (sessionToken != null) {
                char[] token = sessionToken.getSecret().getPlainText().toCharArray();
                try (io.jenkins.plugins.hsmsigning.engine.Secret secret =
                        io.jenkins.plugins.hsmsigning.engine.Secret.of(token)) {
                    kms.sessionToken(secret);
                } finally {
                    java.util.Arrays.fill(token, '\0');
                }
            }
            return new ServiceKey(kms, accessKey == null ? null : accessKey.getPassword());
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        }
    }

    @Extension
    @Symbol("awsKms")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return "AWS KMS";
        }

        @POST
        public FormValidation doCheckRegion(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The region") : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckKeyId(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The key id") : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(StandardUsernamePasswordCredentials.class, credentialsId);
        }

        @POST
        public ListBoxModel doFillSessionTokenCredentialsIdItems(@QueryParameter String sessionTokenCredentialsId) {
            return ConfigForms.credentialItems(StringCredentials.class, sessionTokenCredentialsId);
        }

        @POST
        public FormValidation doTestConnection(@QueryParameter String region, @QueryParameter String keyId,
                @QueryParameter String endpoint, @QueryParameter String credentialsId,
                @QueryParameter String sessionTokenCredentialsId, @QueryParameter String certificateChain) {
            AwsKmsKeySource source = new AwsKmsKeySource(region, keyId);
            source.setEndpoint(endpoint);
            source.setCredentialsId(credentialsId);
            source.setSessionTokenCredentialsId(sessionTokenCredentialsId);
            return source.testConnection(certificateChain);
        }
    }
}
