package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A certificate and its key in Azure Key Vault (or Managed HSM): the certificate is read from the vault, digests are
 * signed with the key's {@code sign} operation. The identity needs the "Key Vault Crypto User" and "Key Vault
 * Certificate User" roles (or the access policy permissions keys/sign and certificates/get).
 */
public final class AzureKeyVault implements RemoteKeyService {

    static final String API_VERSION = "7.4";
    private static final String RESOURCE = "https://vault.azure.net";

    private final String vaultUrl;
    private final String certificateName;
    private final AzureIdentity identity;
    private final ServiceConnection connection;

    private AzureKeyVault(String vaultUrl, String certificateName, AzureIdentity identity,
            ServiceConnection connection) {
        this.vaultUrl = vaultUrl;
        this.certificateName = certificateName;
        this.identity = identity;
        this.connection = connection;
    }

    /** {@code vault} is a vault name ({@code myvault}) or its URL (sovereign clouds, private endpoints). */
    public static AzureKeyVault of(String vault, String certificateName, AzureIdentity identity,
            ServiceConnection connection) {
        if (vault == null || vault.isBlank() || certificateName == null || certificateName.isBlank()) {
            throw new IllegalArgumentException("Azure Key Vault needs the vault and the certificate name.");
        }
        String url = vault.strip().startsWith("http") ? vault.strip().replaceAll("/+$", "")
                : "https://" + vault.strip() + ".vault.azure.net";
        return new AzureKeyVault(url, certificateName.strip(), identity, connection);
    }

    @Override
    public String describe() {
        return "Azure Key Vault certificate '" + certificateName + "' in " + vaultUrl;
    }

    @Override
    public Session open(Secret secret) throws SigningException {
        Secret kept = SecretText.copy(secret);
        try {
            ServiceHttp http = new ServiceHttp("Azure Key Vault " + vaultUrl, connection);
            AccessToken token = new AccessToken(identity.tokens(http, RESOURCE, kept), Clock.systemUTC());
            JsonNode certificate = http.send(new ServiceHttp.Call("get certificate " + certificateName,
                    ServiceHttp.get(URI.create(vaultUrl + "/certificates/" + encode(certificateName)
                            + "?api-version=" + API_VERSION)), status -> hint(status, "certificates/get",
                            "Key Vault Certificate User"), ServiceHttp.Bearer.authorization(token)));
            X509Certificate leaf = parse(certificate.path("cer").asText(""));
            String keyId = certificate.path("kid").asText("");
            if (keyId.isEmpty()) {
                throw new SigningException(Kind.KEY, describe() + " has no key id (kid).");
            }
            return new VaultSession(http, token, kept, leaf, keyId);
        } catch (SigningException | RuntimeException e) {
            kept.close();
            throw e;
        }
    }

    private X509Certificate parse(String base64) throws SigningException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new SigningException(Kind.KEY, describe() + " holds no readable certificate.", e);
        }
    }

    private static String hint(int status, String permission, String role) {
        return status == 403 ? "the identity lacks the permission " + permission + " (role \"" + role + "\")"
                : ServiceHttp.commonHint(status, permission);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    static String algorithm(SignatureScheme scheme, DigestAlgorithm digest) {
        String bits = digest.jcaName().substring(4);
        switch (scheme) {
            case RSA_PKCS1:
                return "RS" + bits;
            case RSA_PSS:
                return "PS" + bits;
            default:
                return "ES" + bits;
        }
    }

    private final class VaultSession implements Session {
        private final ServiceHttp http;
        private final AccessToken token;
        private final Secret secret;
        private final X509Certificate leaf;
        private final URI signUri;

        VaultSession(ServiceHttp http, AccessToken token, Secret secret, X509Certificate leaf, String keyId) {
            this.http = http;
            this.token = token;
            this.secret = secret;
            this.leaf = leaf;
            this.signUri = URI.create(keyId.replaceAll("/+$", "") + "/sign?api-version=" + API_VERSION);
        }

        @Override
        public List<X509Certificate> certificateChain() {
            return List.of(leaf);
        }

        @Override
        public byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException {
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            JsonNode answer = http.send(new ServiceHttp.Call("sign with " + certificateName,
                    ServiceHttp.postJson(signUri, Map.of("alg", algorithm(scheme, digest),
                            "value", url.encodeToString(hash))),
                    status -> hint(status, "keys/sign", "Key Vault Crypto User"),
                    ServiceHttp.Bearer.authorization(token)));
            byte[] signature;
            try {
                signature = Base64.getUrlDecoder().decode(answer.path("value").asText(""));
            } catch (IllegalArgumentException e) {
                throw new SigningException(Kind.KEY, describe() + " answered a signature that is not base64url.", e);
            }
            return scheme == SignatureScheme.ECDSA
                    ? SignatureEncoding.ecdsaRawToDer(signature, "Azure Key Vault") : signature;
        }

        @Override
        public void close() {
            secret.close();
        }
    }
}
