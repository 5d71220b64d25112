package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key in HashiCorp Vault's transit secrets engine. Vault holds no certificate, so the chain comes from the profile.
 * Authentication is a Vault token, or an AppRole whose secret id is the secret; the policy needs {@code update} on
 * {@code MOUNT/sign/KEY/*}.
 */
public final class HashiCorpVault implements RemoteKeyService {

    private final String address;
    private final String mount;
    private final String keyName;
    private final String roleId;
    private final String namespace;
    private final ServiceConnection connection;

    private HashiCorpVault(String address, String mount, String keyName, String roleId, String namespace,
            ServiceConnection connection) {
        this.address = address;
        this.mount = mount;
        this.keyName = keyName;
        this.roleId = roleId;
        this.namespace = namespace;
        this.connection = connection;
    }

    /**
     * {@code mount} is blank for {@code transit}; {@code roleId} is blank when the secret is a Vault token, else the
     * secret is the AppRole's secret id; {@code namespace} is blank outside Vault Enterprise namespaces.
     */
    public static HashiCorpVault of(String address, String mount, String keyName, String roleId, String namespace,
            ServiceConnection connection) {
        if (address == null || address.isBlank() || keyName == null || keyName.isBlank()) {
            throw new IllegalArgumentException("HashiCorp Vault needs its address and the key name.");
        }
        return new HashiCorpVault(address.strip().replaceAll("/+$", ""),
                mount == null || mount.isBlank() ? "transit" : mount.strip().replaceAll("^/+|/+$", ""),
                keyName.strip(), blankToNull(roleId), blankToNull(namespace), connection);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String describe() {
        return "HashiCorp Vault key " + mount + "/" + keyName + " at " + address;
    }

    @Override
    public Session open(Secret secret) throws SigningException {
        if (secret == null || secret.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, describe() + " needs "
                    + (roleId == null ? "a Vault token." : "the AppRole's secret id."));
        }
        Secret kept = SecretText.copy(secret);
        ServiceHttp http = new ServiceHttp("HashiCorp Vault " + address, connection);
        AccessToken token = new AccessToken(roleId == null ? () -> new AccessToken.Issued(SecretText.reveal(kept),
                Duration.ofDays(365)) : () -> appRoleLogin(http, kept), Clock.systemUTC());
        URI base = URI.create(address + "/v1/" + mount + "/sign/" + keyName + "/");
        return new Session() {
            @Override
            public List<X509Certificate> certificateChain() {
                return List.of();
            }

            @Override
            public byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("input", Base64.getEncoder().encodeToString(hash));
                body.put("prehashed", true);
                body.put("marshaling_algorithm", "asn1");
                if (scheme != SignatureScheme.ECDSA) {
                    body.put("signature_algorithm", scheme == SignatureScheme.RSA_PSS ? "pss" : "pkcs1v15");
                }
                if (scheme == SignatureScheme.RSA_PSS) {
                    body.put("salt_length", "hash");
                }
                String hashName = "sha2-" + digest.jcaName().substring(4);
                JsonNode answer = http.send(new ServiceHttp.Call("sign with " + keyName,
                        withNamespace(ServiceHttp.postJson(base.resolve(hashName), body)),
                        status -> status == 403 ? "the token's policy lacks update on " + mount + "/sign/" + keyName
                                : ServiceHttp.commonHint(status, "update on " + mount + "/sign/" + keyName),
                        new ServiceHttp.Bearer(token, "X-Vault-Token", "")));
                String signature = answer.path("data").path("signature").asText("");
                int prefix = signature.lastIndexOf(':');
                try {
                    return Base64.getDecoder().decode(signature.substring(prefix + 1));
                } catch (IllegalArgumentException e) {
                    throw new SigningException(Kind.KEY, describe() + " answered no readable signature.", e);
                }
            }

            @Override
            public void close() {
                kept.close();
            }
        };
    }

    private HttpRequest.Builder withNamespace(HttpRequest.Builder request) {
        return namespace == null ? request : request.header("X-Vault-Namespace", namespace);
    }

    private AccessToken.Issued appRoleLogin(ServiceHttp http, Secret secretId) throws SigningException {
        JsonNode answer = http.send(new ServiceHttp.Call("log in with AppRole " + roleId,
                withNamespace(ServiceHttp.postJson(URI.create(address + "/v1/auth/approle/login"),
                        Map.of("role_id", roleId, "secret_id", SecretText.reveal(secretId)))),
                status -> status == 400 || status == 403 ? "check the role id and the secret id (it may have expired "
                        + "or been used up)" : ServiceHttp.commonHint(status, "to log in")));
        String token = answer.path("auth").path("client_token").asText("");
        if (token.isEmpty()) {
            throw new SigningException(Kind.KEY, "HashiCorp Vault " + address + " answered the AppRole login "
                    + "without a token.");
        }
        long seconds = answer.path("auth").path("lease_duration").asLong(3600);
        return new AccessToken.Issued(token, Duration.ofSeconds(Math.max(60, seconds)));
    }
}
