package io.jenkins.plugins.hsmsigning.keyservice;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.GoogleCloudKms;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A key version in Google Cloud KMS; the credential is a Secret file holding a service-account JSON key. */
public class GoogleCloudKmsKeySource extends KeyServiceConfig {

    private static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    private final String keyVersion;
    private String credentialsId;

    @DataBoundConstructor
    public GoogleCloudKmsKeySource(String keyVersion) {
        this.keyVersion = Util.fixEmptyAndTrim(keyVersion);
    }

    public String getKeyVersion() {
        return keyVersion;
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
        FileCredentials keyFile = credentials.find(credentialsId, FileCredentials.class,
                "the Google service-account key of signing profile '" + profileId + "'", "Secret file", false);
        byte[] content;
        try (InputStream in = keyFile.getContent()) {
            content = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new SigningException(SigningException.Kind.CONFIGURATION, "The Secret file '" + credentialsId
                    + "' of signing profile '" + profileId + "' cannot be read.", e);
        }
        if (content.length > MAX_KEY_FILE_BYTES) {
            throw new SigningException(SigningException.Kind.CONFIGURATION, "The Secret file '" + credentialsId
                    + "' is larger than a service-account JSON key.");
        }
        try {
            return new ServiceKey(GoogleCloudKms.of(keyVersion, getEndpoint(), connection),
                    Secret.fromString(new String(content, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw configuration(e);
        } finally {
            java.util.Arrays.fill(content, (byte) 0);
        }
    }

    @Extension
    @Symbol("googleCloudKms")
    public static class DescriptorImpl extends KeySourceDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Google Cloud KMS";
        }

        @POST
        public FormValidation doCheckKeyVersion(@QueryParameter String value) {
            return ConfigForms.canConfigure() ? ConfigForms.required(value, "The key version") : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return ConfigForms.credentialItems(FileCredentials.class, credentialsId);
        }

        @POST
        public FormValidation doTestConnection(@QueryParameter String keyVersion, @QueryParameter String endpoint,
                @QueryParameter String credentialsId, @QueryParameter String certificateChain) {
            GoogleCloudKmsKeySource source = new GoogleCloudKmsKeySource(keyVersion);
            source.setEndpoint(endpoint);
            source.setCredentialsId(credentialsId);
            return source.testConnection(certificateChain);
        }
    }
}
