package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google service-account key (the JSON file Google hands out) exchanged for an OAuth2 access token with a signed
 * JWT assertion, as Google's token endpoint takes it. The key file is the secret; nothing of it is ever printed.
 */
final class GoogleServiceAccount {

    static final String SCOPE = "https://www.googleapis.com/auth/cloudkms";

    private final String clientEmail;
    private final String keyId;
    private final URI tokenUri;
    private final PrivateKey key;

    private GoogleServiceAccount(String clientEmail, String keyId, URI tokenUri, PrivateKey key) {
        this.clientEmail = clientEmail;
        this.keyId = keyId;
        this.tokenUri = tokenUri;
        this.key = key;
    }

    static GoogleServiceAccount parse(Secret keyFile) throws SigningException {
        String text = SecretText.reveal(keyFile);
        try {
            JsonNode json = ServiceHttp.json().readTree(text);
            if (json == null || !"service_account".equals(json.path("type").asText())) {
                throw invalid(null);
            }
            String pem = json.path("private_key").asText("");
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            String email = json.path("client_email").asText("");
            String uri = json.path("token_uri").asText("https://oauth2.googleapis.com/token");
            if (email.isEmpty()) {
                throw invalid(null);
            }
            return new GoogleServiceAccount(email, json.path("private_key_id").asText(""), URI.create(uri), key);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw invalid(e);
        }
    }

    private static SigningException invalid(Throwable cause) {
        // the cause's message could quote the key file: keep only its type
        return new SigningException(Kind.CONFIGURATION, "The Google service-account key is not a service-account "
                + "JSON key file with a private key" + (cause == null ? "." : " (" + cause.getClass().getSimpleName()
                + ")."));
    }

    String clientEmail() {
        return clientEmail;
    }

    AccessToken.Source tokens(ServiceHttp http, Clock clock) {
        return () -> {
            String body = ServiceHttp.formBody(ServiceHttp.form("grant_type",
                    "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion(clock.instant()
                            .getEpochSecond())));
            JsonNode answer = http.send(new ServiceHttp.Call("get a token for " + clientEmail,
                    ServiceHttp.post(tokenUri, "application/x-www-form-urlencoded", body),
                    status -> status == 400 || status == 401
                            ? "the service-account key was refused; it may have been deleted or disabled"
                            : ServiceHttp.commonHint(status, "to sign in")));
            return AzureIdentity.issued(answer, "Google's token endpoint " + tokenUri.getHost());
        };
    }

    private String assertion(long now) throws SigningException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (!keyId.isEmpty()) {
            header.put("kid", keyId);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientEmail);
        claims.put("scope", SCOPE);
        claims.put("aud", tokenUri.toString());
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        try {
            String signingInput = url.encodeToString(ServiceHttp.json().writeValueAsBytes(header)) + "."
                    + url.encodeToString(ServiceHttp.json().writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new SigningException(Kind.KEY, "The Google service-account key cannot sign a token request ("
                    + e.getClass().getSimpleName() + ").", e);
        }
    }

    @Override
    public String toString() {
        return "service account " + clientEmail;
    }
}
