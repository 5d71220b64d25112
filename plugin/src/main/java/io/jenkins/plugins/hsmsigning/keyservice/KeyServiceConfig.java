package io.jenkins.plugins.hsmsigning.keyservice;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.hsmsigning.config.ConfigForms;
import io.jenkins.plugins.hsmsigning.config.KeySourceConfig;
import io.jenkins.plugins.hsmsigning.credentials.EngineSecrets;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import java.security.cert.X509Certificate;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A key in a network key service (cloud KMS or signing service). Subclasses map their fields and credentials onto
 * the engine's service; opening, the certificate chain, the concurrency cap and Test connection are shared.
 */
public abstract class KeyServiceConfig extends KeySourceConfig {

    private String endpoint;

    public String getEndpoint() {
        return endpoint;
    }

    /** The service's endpoint where it is not the public one (sovereign clouds, private endpoints). */
    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = Util.fixEmptyAndTrim(endpoint);
    }

    /** The engine's service and its main secret (null where the service needs none). */
    protected record ServiceKey(@NonNull RemoteKeyService service, @CheckForNull Secret secret) {
    }

    /** Resolves the credentials through {@code credentials} and builds the service. */
    @NonNull
    protected abstract ServiceKey serviceKey(@NonNull CredentialLookup credentials, @NonNull String profileId,
            @NonNull ServiceConnection connection) throws SigningException;

    @NonNull
    @Override
    public SigningKey open(@NonNull Run<?, ?> run, @NonNull String profileId,
            @NonNull List<X509Certificate> extraChain, int maxConcurrentOperations) throws SigningException {
        return open(CredentialLookup.forRun(run), profileId, extraChain, maxConcurrentOperations);
    }

    private SigningKey open(CredentialLookup credentials, String profileId, List<X509Certificate> extraChain,
            int maxConcurrentOperations) throws SigningException {
        ServiceConnection connection = ServiceConnection.DEFAULT.proxy(new JenkinsProxySelector());
        ServiceKey key = serviceKey(credentials, profileId, connection);
        RemoteKeySource source = RemoteKeySource.of(key.service()).certificateChain(extraChain)
                .maxConcurrentOperations(maxConcurrentOperations);
        return EngineSecrets.open(source, key.secret() == null ? Secret.fromString("") : key.secret());
    }

    /**
     * Authenticates with the global credentials, reads the certificate and signs a test digest; shows the
     * certificate's subject and expiry, or what to fix. Overall/Administer only.
     */
    protected FormValidation testConnection(String certificateChain) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try (SigningKey key = open(CredentialLookup.global(), "(test)", ProfileSettings.certificates(
                ConfigForms.lines(certificateChain), "certificate chain"), 1)) {
            return ConfigForms.certificateValidity("Signed a test digest with " + key.description(),
                    key.certificate());
        } catch (SigningException e) {
            return FormValidation.error(e.getMessage());
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** The engine's factories refuse missing settings with an {@link IllegalArgumentException} naming them. */
    protected static SigningException configuration(IllegalArgumentException e) {
        return new SigningException(SigningException.Kind.CONFIGURATION, e.getMessage(), e);
    }
}
