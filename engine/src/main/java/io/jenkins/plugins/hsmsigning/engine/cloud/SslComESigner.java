package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SignatureScheme;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A certificate in SSL.com eSigner, through its Cloud Signature Consortium API. Each signature is authorised with a
 * one-time password computed from the account's TOTP secret. The password is the secret given to {@code open}; the
 * TOTP secret is given when the service is made, at run time, and is held only by this object.
 */
public final class SslComESigner implements RemoteKeyService {

    /** The production signing and login endpoints and the OAuth2 client id SSL.com publishes for eSigner. */
    public static final String DEFAULT_ENDPOINT = "https://cs.ssl.com";
    public static final String DEFAULT_LOGIN_ENDPOINT = "https://login.ssl.com";
    public static final String DEFAULT_CLIENT_ID = "kaXTRACNijSWsFdRKg_KAfD3fqrBlzMbWs6TwWHwAn8";

    private final String endpoint;
    private final String loginEndpoint;
    private final String clientId;
    private final String username;
    private final String credentialId;
    private final Secret totpSecret;
    private final Clock clock;
    private final ServiceConnection connection;

    private SslComESigner(String endpoint, String loginEndpoint, String clientId, String username,
            String credentialId, Secret totpSecret, Clock clock, ServiceConnection connection) {
        this.endpoint = endpoint;
        this.loginEndpoint = loginEndpoint;
        this.clientId = clientId;
        this.username = username;
        this.credentialId = credentialId;
        this.totpSecret = totpSecret;
        this.clock = clock;
        this.connection = connection;
    }

    /** Blank endpoints and client id choose SSL.com's production ones; {@code totpSecret} is copied. */
    public static SslComESigner of(String endpoint, String loginEndpoint, String clientId, String username,
            String credentialId, Secret totpSecret, ServiceConnection connection) {
        if (username == null || username.isBlank() || credentialId == null || credentialId.isBlank()) {
            throw new IllegalArgumentException("SSL.com eSigner needs the user name and the credential id.");
        }
        return new SslComESigner(orDefault(endpoint, DEFAULT_ENDPOINT), orDefault(loginEndpoint,
                DEFAULT_LOGIN_ENDPOINT), orDefault(clientId, DEFAULT_CLIENT_ID), username.strip(),
                credentialId.strip(), SecretText.copy(totpSecret), Clock.systemUTC(), connection);
    }

    SslComESigner withClock(Clock other) {
        return new SslComESigner(endpoint, loginEndpoint, clientId, username, credentialId, totpSecret, other,
                connection);
    }

    private static String orDefault(String value, String fallback) {
        return (value == null || value.isBlank() ? fallback : value.strip()).replaceAll("/+$", "");
    }

    @Override
    public String describe() {
        return "SSL.com eSigner credential " + credentialId + " of " + username;
    }

    @Override
    public Session open(Secret password) throws SigningException {
        if (password == null || password.isEmpty() || totpSecret.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, describe() + " needs the account's password and its "
                    + "TOTP secret.");
        }
        Secret kept = SecretText.copy(password);
        try {
            ServiceHttp http = new ServiceHttp("SSL.com eSigner " + endpoint, connection);
            ServiceHttp login = new ServiceHttp("SSL.com login " + loginEndpoint, connection);
            AccessToken token = new AccessToken(() -> {
                Map<String, String> request = new LinkedHashMap<>();
                request.put("client_id", clientId);
                request.put("grant_type", "password");
                request.put("username", username);
                request.put("password", SecretText.reveal(kept));
                JsonNode answer = login.send(new ServiceHttp.Call("log in as " + username,
                        ServiceHttp.postJson(URI.create(loginEndpoint + "/oauth2/token"), request),
                        status -> status == 400 || status == 401 ? "check the user name and the password"
                                : ServiceHttp.commonHint(status, "to log in")));
                return AzureIdentity.issued(answer, "SSL.com login " + loginEndpoint);
            }, clock);
            JsonNode info = http.send(new ServiceHttp.Call("get credential " + credentialId,
                    ServiceHttp.postJson(URI.create(endpoint + "/csc/v0/credentials/info"),
                            Map.of("credentialID", credentialId, "certificates", "chain")),
                    status -> ServiceHttp.commonHint(status, "to use the credential"),
                    ServiceHttp.Bearer.authorization(token)));
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode encoded : info.path("cert").path("certificates")) {
                chain.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(encoded.asText()))));
            }
            return new CscSession(http, token, kept, chain);
        } catch (CertificateException | IllegalArgumentException e) {
            kept.close();
            throw new SigningException(Kind.KEY, describe() + " answered a certificate that cannot be read.", e);
        } catch (SigningException | RuntimeException e) {
            kept.close();
            throw e;
        }
    }

    /** RFC 6238 with SHA-1, 30-second steps and six digits, from the base64 secret SSL.com hands out. */
    String oneTimePassword() throws SigningException {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SecretText.reveal(totpSecret)), "RAW"));
            byte[] counter = ByteBuffer.allocate(8).putLong(clock.millis() / 30_000).array();
            ByteBuffer hash = ByteBuffer.wrap(mac.doFinal(counter));
            int offset = hash.get(hash.capacity() - 1) & 0x0F;
            return String.format("%06d", (hash.getInt(offset) & 0x7FFFFFFF) % 1_000_000);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SigningException(Kind.CONFIGURATION, "The TOTP secret of " + describe() + " is not the base64 "
                    + "secret SSL.com shows when two-factor signing is set up.");
        }
    }

    private final class CscSession implements Session {
        private final ServiceHttp http;
        private final AccessToken token;
        private final Secret password;
        private final List<X509Certificate> chain;

        CscSession(ServiceHttp http, AccessToken token, Secret password, List<X509Certificate> chain) {
            this.http = http;
            this.token = token;
            this.password = password;
            this.chain = chain;
        }

        @Override
        public List<X509Certificate> certificateChain() {
            return chain;
        }

        @Override
        public byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash) throws SigningException {
            String encoded = Base64.getEncoder().encodeToString(hash);
            Map<String, Object> authorize = new LinkedHashMap<>();
            authorize.put("credentialID", credentialId);
            authorize.put("numSignatures", 1);
            authorize.put("hash", List.of(encoded));
            authorize.put("OTP", oneTimePassword());
            JsonNode activation = http.send(new ServiceHttp.Call("authorise a signature with " + credentialId,
                    ServiceHttp.postJson(URI.create(endpoint + "/csc/v0/credentials/authorize"), authorize),
                    status -> status == 400 || status == 401 ? "the one-time password was refused; check the TOTP "
                            + "secret and this machine's clock" : ServiceHttp.commonHint(status, "to sign"),
                    ServiceHttp.Bearer.authorization(token)));
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("credentialID", credentialId);
            request.put("SAD", activation.path("SAD").asText(""));
            request.put("hash", List.of(encoded));
            request.put("signAlgo", new SignatureAlgorithm(scheme, digest).algorithmIdentifier().getAlgorithm()
                    .getId());
            JsonNode answer = http.send(new ServiceHttp.Call("sign with " + credentialId,
                    ServiceHttp.postJson(URI.create(endpoint + "/csc/v0/signatures/signHash"), request),
                    status -> ServiceHttp.commonHint(status, "to sign"), ServiceHttp.Bearer.authorization(token)));
            try {
                return Base64.getDecoder().decode(answer.path("signatures").path(0).asText(""));
            } catch (IllegalArgumentException e) {
                throw new SigningException(Kind.KEY, describe() + " answered a signature that is not base64.", e);
            }
        }

        @Override
        public void close() {
            password.close();
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
