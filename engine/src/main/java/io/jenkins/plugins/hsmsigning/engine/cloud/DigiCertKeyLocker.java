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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A certificate and its key pair in DigiCert ONE Software Trust Manager (KeyLocker). Every call carries the API key
 * (the secret given to {@code open}) and is made over TLS with the account's client certificate.
 */
public final class DigiCertKeyLocker implements RemoteKeyService {

    /** DigiCert ONE's public client-authentication endpoint. */
    public static final String DEFAULT_ENDPOINT = "https://clientauth.one.digicert.com";

    private final String endpoint;
    private final String certificateAlias;
    private final ClientCertificate clientCertificate;
    private final ServiceConnection connection;

    private DigiCertKeyLocker(String endpoint, String certificateAlias, ClientCertificate clientCertificate,
            ServiceConnection connection) {
        this.endpoint = endpoint;
        this.certificateAlias = certificateAlias;
        this.clientCertificate = clientCertificate;
        this.connection = connection;
    }

    /** {@code endpoint} is blank for DigiCert's public one. */
    public static DigiCertKeyLocker of(String endpoint, String certificateAlias, ClientCertificate clientCertificate,
            ServiceConnection connection) {
        if (certificateAlias == null || certificateAlias.isBlank() || clientCertificate == null) {
            throw new IllegalArgumentException("DigiCert KeyLocker needs the certificate alias and the client "
                    + "certificate.");
        }
        String url = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip();
        return new DigiCertKeyLocker(url.replaceAll("/+$", ""), certificateAlias.strip(), clientCertificate,
                connection);
    }

    @Override
    public String describe() {
        return "DigiCert KeyLocker certificate '" + certificateAlias + "' at " + endpoint;
    }

    @Override
    public Session open(Secret apiKey) throws SigningException {
        if (apiKey == null || apiKey.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, describe() + " needs the API key.");
        }
        Secret kept = SecretText.copy(apiKey);
        try {
            ServiceHttp http = new ServiceHttp("DigiCert KeyLocker " + endpoint, connection,
                    clientCertificate.keyManagers());
            AccessToken key = new AccessToken(() -> new AccessToken.Issued(SecretText.reveal(kept),
                    Duration.ofDays(365)), Clock.systemUTC());
            ServiceHttp.Bearer bearer = new ServiceHttp.Bearer(key, "x-api-key", "");
            String api = endpoint + "/signingmanager/api/v1/";
            JsonNode found = http.send(new ServiceHttp.Call("find certificate " + certificateAlias,
                    ServiceHttp.get(URI.create(api + "certificates?alias="
                            + URLEncoder.encode(certificateAlias, StandardCharsets.UTF_8))),
                    DigiCertKeyLocker::hint, bearer));
            JsonNode certificate = found.path("items").path(0);
            if (certificate.isMissingNode()) {
                throw new SigningException(Kind.KEY, describe() + " was not found: check the alias (KeyLocker "
                        + "lists it under Certificates).");
            }
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(parse(certificate.path("cert").asText("")));
            for (JsonNode issuer : certificate.path("chain")) {
                chain.add(parse(issuer.path("blob").asText("")));
            }
            String keyPair = certificate.path("keypair").path("id").asText("");
            JsonNode pair = http.send(new ServiceHttp.Call("get key pair " + keyPair,
                    ServiceHttp.get(URI.create(api + "keypairs/" + URLEncoder.encode(keyPair,
                            StandardCharsets.UTF_8))), DigiCertKeyLocker::hint, bearer));
            URI sign = URI.create(api + "keypairs/" + URLEncoder.encode(keyPair, StandardCharsets.UTF_8) + "/sign");
            return new Session() {
                @Override
                public List<X509Certificate> certificateChain() {
                    return chain;
                }

                @Override
                public byte[] sign(SignatureScheme scheme, DigestAlgorithm digest, byte[] hash)
                        throws SigningException {
                    Map<String, Object> request = new LinkedHashMap<>();
                    request.put("account", pair.path("account"));
                    request.put("sig_alg", digest.compactName() + "with" + (scheme == SignatureScheme.ECDSA
                            ? "ECDSA" : scheme == SignatureScheme.RSA_PSS ? "RSA/PSS" : "RSA"));
                    request.put("hash", Base64.getEncoder().encodeToString(hash));
                    JsonNode answer = http.send(new ServiceHttp.Call("sign with " + certificateAlias,
                            ServiceHttp.postJson(sign, request), DigiCertKeyLocker::hint, bearer));
                    try {
                        return Base64.getDecoder().decode(answer.path("signature").asText(""));
                    } catch (IllegalArgumentException e) {
                        throw new SigningException(Kind.KEY, describe() + " answered a signature that is not "
                                + "base64.", e);
                    }
                }

                @Override
                public void close() {
                    kept.close();
                }
            };
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
            throw new SigningException(Kind.KEY, describe() + " answered a certificate that cannot be read.", e);
        }
    }

    private static String hint(int status) {
        return status == 401 ? "check the API key and that the client certificate belongs to the same account"
                : status == 403 ? "the API key's user lacks the signing permission on this key pair (Software Trust "
                        + "Manager: Signer role, or the key pair's allowed users)"
                        : ServiceHttp.commonHint(status, "to sign with this key pair");
    }
}
