package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How the engine obtains an Azure AD (Entra ID) token: as a service principal with a client secret, exchanged at a
 * configurable authority (sovereign clouds, tests), or as the machine's managed identity.
 */
public abstract class AzureIdentity {

    /** The public cloud's authority. */
    public static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
    /** The instance metadata service that hands managed identities their tokens. */
    public static final String DEFAULT_MANAGED_IDENTITY_ENDPOINT = "http://169.254.169.254/metadata/identity/oauth2/token";

    private AzureIdentity() {
    }

    /** A service principal; its client secret is the secret given to the key source's {@code open}. */
    public static AzureIdentity servicePrincipal(String tenantId, String clientId, String authority) {
        return new ServicePrincipal(required(tenantId, "tenant id"), required(clientId, "client id"),
                authority == null || authority.isBlank() ? DEFAULT_AUTHORITY : authority.strip());
    }

    /** The machine's managed identity; {@code clientId} chooses a user-assigned identity, or is blank. */
    public static AzureIdentity managedIdentity(String endpoint, String clientId) {
        return new ManagedIdentity(endpoint == null || endpoint.isBlank() ? DEFAULT_MANAGED_IDENTITY_ENDPOINT
                : endpoint.strip(), clientId == null || clientId.isBlank() ? null : clientId.strip());
    }

    /**
     * A token source for {@code resource} (e.g. {@code https://vault.azure.net}); {@code secret} is the session's own
     * copy, kept open as long as the source is used.
     */
    abstract AccessToken.Source tokens(ServiceHttp http, String resource, Secret secret) throws SigningException;

    abstract String describe();

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The Azure " + what + " is required for a service principal.");
        }
        return value.strip();
    }

    static AccessToken.Issued issued(JsonNode answer, String service) throws SigningException {
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new SigningException(Kind.KEY, service + " answered without an access token.");
        }
        long seconds = answer.path("expires_in").asLong(3600);
        return new AccessToken.Issued(token, Duration.ofSeconds(Math.max(60, seconds)));
    }

    private static final class ServicePrincipal extends AzureIdentity {
        private final String tenantId;
        private final String clientId;
        private final String authority;

        ServicePrincipal(String tenantId, String clientId, String authority) {
            this.tenantId = tenantId;
            this.clientId = clientId;
            this.authority = authority;
        }

        @Override
        AccessToken.Source tokens(ServiceHttp http, String resource, Secret secret) throws SigningException {
            if (secret == null || secret.isEmpty()) {
                throw new SigningException(Kind.CONFIGURATION, "The Azure service principal " + clientId
                        + " needs its client secret.");
            }
            URI uri = URI.create(authority.replaceAll("/+$", "") + "/"
                    + URLEncoder.encode(tenantId, StandardCharsets.UTF_8) + "/oauth2/v2.0/token");
            return () -> {
                String body = ServiceHttp.formBody(ServiceHttp.form("grant_type", "client_credentials",
                        "client_id", clientId, "client_secret", SecretText.reveal(secret),
                        "scope", resource + "/.default"));
                JsonNode answer = http.send(new ServiceHttp.Call("get a token for client " + clientId,
                        ServiceHttp.post(uri, "application/x-www-form-urlencoded", body),
                        status -> status == 400 || status == 401
                                ? "check the tenant id, the client id and the client secret (it may have expired)"
                                : ServiceHttp.commonHint(status, "to sign in")));
                return issued(answer, "The Azure authority " + authority);
            };
        }

        @Override
        String describe() {
            return "service principal " + clientId;
        }
    }

    private static final class ManagedIdentity extends AzureIdentity {
        private final String endpoint;
        private final String clientId;

        ManagedIdentity(String endpoint, String clientId) {
            this.endpoint = endpoint;
            this.clientId = clientId;
        }

        @Override
        AccessToken.Source tokens(ServiceHttp http, String resource, Secret secret) {
            StringBuilder query = new StringBuilder("api-version=2018-02-01&resource=")
                    .append(URLEncoder.encode(resource, StandardCharsets.UTF_8));
            if (clientId != null) {
                query.append("&client_id=").append(URLEncoder.encode(clientId, StandardCharsets.UTF_8));
            }
            URI uri = URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + query);
            return () -> {
                JsonNode answer = http.send(new ServiceHttp.Call("get a managed identity token",
                        ServiceHttp.get(uri).header("Metadata", "true"),
                        status -> status == 400 || status == 404
                                ? "this machine has no managed identity" + (clientId == null ? "" : " with client id "
                                        + clientId) : ServiceHttp.commonHint(status, "to sign in")));
                return issued(answer, "The managed identity endpoint " + endpoint);
            };
        }

        @Override
        String describe() {
            return clientId == null ? "managed identity" : "managed identity " + clientId;
        }
    }
}
