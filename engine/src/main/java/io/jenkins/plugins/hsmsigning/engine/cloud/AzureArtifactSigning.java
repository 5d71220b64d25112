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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A certificate profile of Azure Artifact Signing (formerly Trusted Signing). The service issues short-lived
 * certificates and returns the chain with each signature, so the session learns it by signing a dummy digest once.
 * The identity needs the role "Artifact Signing Certificate Profile Signer" on the profile.
 */
public final class AzureArtifactSigning implements RemoteKeyService {

    static final String API_VERSION = "2022-06-15-preview";
    private static final String RESOURCE = "https://codesigning.azure.net";
    private static final int MAX_POLLS = 120;

    private final String endpoint;
    private final String account;
    private final String profile;
    private final AzureIdentity identity;
    private final ServiceConnection connection;

    private AzureArtifactSigning(String endpoint, String account, String profile, AzureIdentity identity,
            ServiceConnection connection) {
        this.endpoint = endpoint;
        this.account = account;
        this.profile = profile;
        this.identity = identity;
        this.connection = connection;
    }

    /** {@code endpoint} is the account's regional endpoint, e.g. {@code https://weu.codesigning.azure.net}. */
    public static AzureArtifactSigning of(String endpoint, String account, String profile, AzureIdentity identity,
            ServiceConnection connection) {
        if (endpoint == null || endpoint.isBlank() || account == null || account.isBlank() || profile == null
                || profile.isBlank()) {
            throw new IllegalArgumentException("Azure Artifact Signing needs the endpoint, the account and the "
                    + "certificate profile.");
        }
        String url = endpoint.strip().startsWith("http") ? endpoint.strip() : "https://" + endpoint.strip();
        return new AzureArtifactSigning(url.replaceAll("/+$", ""), account.strip(), profile.strip(), identity,
                connection);
    }

    @Override
    public String describe() {
        return "Azure Artifact Signing profile " + account + "/" + profile + " at " + endpoint;
    }

    @Override
    public Session open(Secret secret) throws SigningException {
        Secret kept = SecretText.copy(secret);
        try {
            ServiceHttp http = new ServiceHttp("Azure Artifact Signing " + endpoint, connection);
            AccessToken token = new AccessToken(identity.tokens(http, RESOURCE, kept), Clock.systemUTC());
            ProfileSession session = new ProfileSession(http, token, kept);
            session.chain = session.signed("RS256", new byte[32]).chain;
            return session;
        } catch (SigningException | RuntimeException e) {
            kept.close();
            throw e;
        }
    }

    private static String hint(int status) {
        return status == 403 ? "the identity lacks the role \"Artifact Signing Certificate Profile Signer\" on the "
                + "certificate profile" : ServiceHttp.commonHint(status, "to sign with the certificate profile");
    }

    private record Signed(byte[] signature, List<X509Certificate> chain) {
    }

    private final class ProfileSession implements Session {
        private final ServiceHttp http;
        private final AccessToken token;
        private final Secret secret;
        private final String base;
        private List<X509Certificate> chain;

        ProfileSession(ServiceHttp http, AccessToken token, Secret secret) {
            this.http = http;
            this.token = token;
            this.secret = secret;
            this.base = endpoint + "/codesigningaccounts/" + encode(account) + "/certificateprofiles/"
                    + encode(profile) + "/sign";
        }

        @Override
        public List<X509Certificate> certificateChain() {
            return chain;
        }

        @Override
        public byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException {
            return signed(AzureKeyVault.algorithm(scheme, digest), hash).signature;
        }

        Signed signed(String algorithm, byte[] hash) throws SigningException {
            JsonNode submitted = http.send(new ServiceHttp.Call("sign with " + account + "/" + profile,
                    ServiceHttp.postJson(URI.create(base + "?api-version=" + API_VERSION), Map.of(
                            "signatureAlgorithm", algorithm, "digest", Base64.getEncoder().encodeToString(hash))),
                    AzureArtifactSigning::hint, ServiceHttp.Bearer.authorization(token)));
            String operation = submitted.path("operationId").asText("");
            if (operation.isEmpty()) {
                throw new SigningException(Kind.KEY, describe() + " accepted a signing request without an "
                        + "operation id.");
            }
            URI status = URI.create(base + "/" + encode(operation) + "?api-version=" + API_VERSION);
            JsonNode answer = submitted;
            for (int poll = 0; !"Succeeded".equals(answer.path("status").asText()); poll++) {
                String state = answer.path("status").asText("");
                if (!state.isEmpty() && !"InProgress".equals(state) && !"NotStarted".equals(state)
                        && poll > 0) {
                    throw new SigningException(Kind.KEY, describe() + " ended signing operation " + operation
                            + " as " + state + ".");
                }
                if (poll >= MAX_POLLS) {
                    throw new SigningException(Kind.KEY, describe() + " did not finish signing operation "
                            + operation + " in time.");
                }
                pause(Duration.ofMillis(Math.min(1000, 50 + 20L * poll)));
                answer = http.send(new ServiceHttp.Call("get the status of signing operation " + operation,
                        ServiceHttp.get(status), AzureArtifactSigning::hint, ServiceHttp.Bearer.authorization(token)));
            }
            try {
                byte[] signature = Base64.getDecoder().decode(answer.path("signature").asText(""));
                byte[] pem = Base64.getDecoder().decode(answer.path("signingCertificate").asText(""));
                byte[] der = Base64.getMimeDecoder().decode(new String(pem, StandardCharsets.US_ASCII));
                List<X509Certificate> certificates = new ArrayList<>();
                for (var certificate : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(der))) {
                    certificates.add((X509Certificate) certificate);
                }
                return new Signed(signature, leafFirst(certificates));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new SigningException(Kind.KEY, describe() + " answered a signature or certificate that "
                        + "cannot be read.", e);
            }
        }

        @Override
        public void close() {
            secret.close();
        }
    }

    /** The service sends the chain in no promised order: the leaf is the certificate that issued nothing else. */
    static List<X509Certificate> leafFirst(List<X509Certificate> certificates) {
        List<X509Certificate> ordered = new ArrayList<>();
        X509Certificate current = certificates.stream().filter(c -> certificates.stream().noneMatch(
                other -> other != c && other.getIssuerX500Principal().equals(c.getSubjectX500Principal())))
                .findFirst().orElse(certificates.isEmpty() ? null : certificates.get(0));
        while (current != null && !ordered.contains(current)) {
            ordered.add(current);
            X509Certificate child = current;
            current = certificates.stream().filter(c -> c != child
                    && c.getSubjectX500Principal().equals(child.getIssuerX500Principal())).findFirst().orElse(null);
        }
        for (X509Certificate certificate : certificates) {
            if (!ordered.contains(certificate)) {
                ordered.add(certificate);
            }
        }
        return ordered;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void pause(Duration duration) throws SigningException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException(Kind.KEY, "Interrupted while waiting for Azure Artifact Signing.", e);
        }
    }
}
