package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An asymmetric key version in Google Cloud KMS. KMS holds no certificate, so the chain comes from the profile. The
 * service account needs the role "Cloud KMS CryptoKey Signer" (cloudkms.cryptoKeyVersions.useToSign) on the key.
 * The signature algorithm is fixed by the key version; the digest setting must match it.
 */
public final class GoogleCloudKms implements RemoteKeyService {

    /** Google's public endpoint. */
    public static final String DEFAULT_ENDPOINT = "https://cloudkms.googleapis.com/v1";

    private final String keyVersion;
    private final String endpoint;
    private final ServiceConnection connection;

    private GoogleCloudKms(String keyVersion, String endpoint, ServiceConnection connection) {
        this.keyVersion = keyVersion;
        this.endpoint = endpoint;
        this.connection = connection;
    }

    /**
     * {@code keyVersion} is the full resource name
     * ({@code projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N}); {@code endpoint} is blank for
     * Google's public one. The service-account JSON key is the secret given to {@code open}.
     */
    public static GoogleCloudKms of(String keyVersion, String endpoint, ServiceConnection connection) {
        if (keyVersion == null || !keyVersion.strip().matches(
                "projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+/cryptoKeyVersions/[^/]+")) {
            throw new IllegalArgumentException("The Google Cloud KMS key must be a key version's full name: projects/"
                    + "PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY/cryptoKeyVersions/N.");
        }
        String base = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
        return new GoogleCloudKms(keyVersion.strip(), base.replaceAll("/+$", ""), connection);
    }

    @Override
    public String describe() {
        return "Google Cloud KMS key " + keyVersion;
    }

    @Override
    public Session open(Secret secret) throws SigningException {
        if (secret == null || secret.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, describe() + " needs a service-account JSON key.");
        }
        GoogleServiceAccount account = GoogleServiceAccount.parse(secret);
        ServiceHttp http = new ServiceHttp("Google Cloud KMS " + URI.create(endpoint).getHost(), connection);
        AccessToken token = new AccessToken(account.tokens(http, Clock.systemUTC()), Clock.systemUTC());
        URI signUri = URI.create(endpoint + "/" + keyVersion + ":asymmetricSign");
        return new Session() {
            @Override
            public List<X509Certificate> certificateChain() {
                return List.of();
            }

            @Override
            public byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException {
                String field = digest.jcaName().replace("-", "").toLowerCase(Locale.ROOT);
                JsonNode answer = http.send(new ServiceHttp.Call("sign with " + keyVersion,
                        ServiceHttp.postJson(signUri, Map.of("digest", Map.of(field,
                                Base64.getEncoder().encodeToString(hash)))),
                        status -> status == 400 ? "the key version's algorithm does not take a " + digest
                                + " digest; choose the digest the key was made for"
                                : status == 403 ? "the service account " + account.clientEmail()
                                        + " lacks the role \"Cloud KMS CryptoKey Signer\" on the key"
                                        : ServiceHttp.commonHint(status, "cloudkms.cryptoKeyVersions.useToSign"),
                        ServiceHttp.Bearer.authorization(token)));
                try {
                    return Base64.getDecoder().decode(answer.path("signature").asText(""));
                } catch (IllegalArgumentException e) {
                    throw new SigningException(Kind.KEY, describe() + " answered a signature that is not base64.", e);
                }
            }

            @Override
            public void close() {
                // the parsed service-account key is garbage-collected with the session
            }
        };
    }
}
