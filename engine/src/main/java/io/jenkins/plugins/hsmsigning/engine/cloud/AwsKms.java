package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jsign.jca.AmazonCredentials;

/**
 * An asymmetric key in AWS KMS. KMS holds no certificate, so the chain comes from the profile. The identity needs
 * {@code kms:Sign} on the key. Credentials are an access key with its secret, or the machine's default chain
 * (environment, ECS task role, EC2 instance profile).
 */
public final class AwsKms implements RemoteKeyService {

    private final String region;
    private final String keyId;
    private final URI endpoint;
    private final String accessKeyId;
    private final ServiceConnection connection;
    private Secret sessionToken;

    private AwsKms(String region, String keyId, URI endpoint, String accessKeyId, ServiceConnection connection) {
        this.region = region;
        this.keyId = keyId;
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.connection = connection;
    }

    /**
     * {@code endpoint} is blank for the region's public endpoint; {@code accessKeyId} is blank for the machine's
     * default credentials, else the secret access key is the secret given to {@code open}.
     */
    public static AwsKms of(String region, String keyId, String endpoint, String accessKeyId,
            ServiceConnection connection) {
        if (region == null || region.isBlank() || keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("AWS KMS needs the region and the key id.");
        }
        URI uri = URI.create(endpoint == null || endpoint.isBlank() ? "https://kms." + region.strip()
                + ".amazonaws.com/" : endpoint.strip());
        return new AwsKms(region.strip(), keyId.strip(), uri,
                accessKeyId == null || accessKeyId.isBlank() ? null : accessKeyId.strip(), connection);
    }

    /**
     * The session token of temporary credentials (an assumed role, SSO) that go with the access key; copied, and held
     * by this object only, which the front-end makes for one signing run.
     */
    public AwsKms sessionToken(Secret token) {
        this.sessionToken = token == null || token.isEmpty() ? null : SecretText.copy(token);
        return this;
    }

    @Override
    public String describe() {
        return "AWS KMS key " + keyId + " in " + region;
    }

    @Override
    public Session open(Secret secret) throws SigningException {
        if (accessKeyId != null) {
            if (secret == null || secret.isEmpty()) {
                throw new SigningException(Kind.CONFIGURATION, "The AWS access key " + accessKeyId
                        + " needs its secret access key.");
            }
            return new KmsSession(accessKeyId, SecretText.copy(secret),
                    sessionToken == null ? null : SecretText.reveal(sessionToken));
        }
        AmazonCredentials found;
        try {
            found = AmazonCredentials.getDefault();
        } catch (IOException | RuntimeException e) {
            throw new SigningException(Kind.KEY, "No AWS credentials were found for " + describe()
                    + ": give an access key, or run where the environment, an ECS task role or an EC2 instance "
                    + "profile provides them.", e);
        }
        char[] secretKey = found.getSecretKey().toCharArray();
        try {
            return new KmsSession(found.getAccessKey(), Secret.of(secretKey), found.getSessionToken());
        } finally {
            java.util.Arrays.fill(secretKey, '\0');
        }
    }

    static String algorithm(SignatureScheme scheme, DigestAlgorithm digest) {
        String bits = digest.jcaName().substring(4);
        switch (scheme) {
            case RSA_PKCS1:
                return "RSASSA_PKCS1_V1_5_SHA_" + bits;
            case RSA_PSS:
                return "RSASSA_PSS_SHA_" + bits;
            default:
                return "ECDSA_SHA_" + bits;
        }
    }

    private final class KmsSession implements Session {
        private final ServiceHttp http = new ServiceHttp("AWS KMS " + endpoint.getHost(), connection);
        private final String accessKey;
        private final Secret secretKey;
        private final String sessionToken;

        KmsSession(String accessKey, Secret secretKey, String sessionToken) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            this.sessionToken = sessionToken;
        }

        @Override
        public List<X509Certificate> certificateChain() {
            return List.of();
        }

        @Override
        public byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException {
            Map<String, String> request = new LinkedHashMap<>();
            request.put("KeyId", keyId);
            request.put("Message", Base64.getEncoder().encodeToString(hash));
            request.put("MessageType", "DIGEST");
            request.put("SigningAlgorithm", algorithm(scheme, digest));
            String body;
            try {
                body = ServiceHttp.json().writeValueAsString(request);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot encode a request as JSON", e);
            }
            JsonNode answer = http.send(new ServiceHttp.Call("sign with key " + keyId,
                    AwsSigV4.post(endpoint, region, "kms", "TrentService.Sign", body, accessKey,
                            SecretText.reveal(secretKey), sessionToken, ZonedDateTime.now()),
                    status -> status == 400
                            ? "check the access key, the key id, the key's signing algorithms and that the identity "
                                    + "may call kms:Sign on the key"
                            : ServiceHttp.commonHint(status, "kms:Sign")));
            try {
                return Base64.getDecoder().decode(answer.path("Signature").asText(""));
            } catch (IllegalArgumentException e) {
                throw new SigningException(Kind.KEY, describe() + " answered a signature that is not base64.", e);
            }
        }

        @Override
        public void close() {
            secretKey.close();
        }
    }
}
