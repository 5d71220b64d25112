package io.jenkins.plugins.hsmsigning.engine.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * DigiCert ONE's Software Trust Manager REST calls (find certificate, key pair, sign) on 127.0.0.1 over TLS that
 * requires a client certificate from the test CA and the API key, as jsign's DigiCert ONE client uses them.
 */
final class LoopbackDigiCert implements AutoCloseable {

    static final String API_KEY = "digicert-api-key-value";
    static final String ALIAS = "release-cert";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final KeyPair key;
    private final X509Certificate certificate;
    private final X509Certificate issuer;
    private final X509Certificate serverCertificate;

    LoopbackDigiCert(TestPki pki, KeyPair key, X509Certificate certificate) throws Exception {
        this.key = key;
        this.certificate = certificate;
        this.issuer = pki.caCertificate();
        KeyPair tls = TestPki.generateRsa(2048);
        serverCertificate = TlsCertificates.issue(pki, tls, "127.0.0.1", true);
        SSLContext context = TlsCertificates.server(pki, tls, serverCertificate);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setNeedClientAuth(true);
            }
        });
        server.createContext("/signingmanager/api/v1/", this::handle);
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    X509Certificate serverCertificate() {
        return serverCertificate;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/signingmanager/api/v1/".length());
            String query = exchange.getRequestURI().getQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            Object answer;
            if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                status = 401;
                answer = Map.of("error", Map.of("status", "invalid_api_key", "message", "Invalid API key"));
            } else if (path.equals("certificates") && ("alias=" + ALIAS).equals(query)) {
                answer = Map.of("items", List.of(Map.of("id", "c-1", "alias", ALIAS,
                        "cert", Base64.getEncoder().encodeToString(certificate.getEncoded()),
                        "chain", List.of(Map.of("blob", Base64.getEncoder().encodeToString(issuer.getEncoded()))),
                        "keypair", Map.of("id", "kp-1"))));
            } else if (path.equals("certificates")) {
                answer = Map.of("items", List.of());
            } else if (path.equals("keypairs/kp-1")) {
                answer = Map.of("id", "kp-1", "key_alg", "RSA", "account", Map.of("id", "acct-1"));
            } else if (path.equals("keypairs/kp-1/sign")) {
                JsonNode request = JSON.readTree(body);
                if (!"acct-1".equals(request.path("account").path("id").asText())
                        || !request.path("sig_alg").asText().equals("SHA256withRSA")) {
                    status = 400;
                    answer = Map.of("error", Map.of("status", "bad_request", "message", "bad account or algorithm"));
                } else {
                    Signature rsa = Signature.getInstance("NONEwithRSA");
                    rsa.initSign(key.getPrivate());
                    rsa.update(new org.bouncycastle.asn1.x509.DigestInfo(new org.bouncycastle.asn1.x509
                            .AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256,
                                    org.bouncycastle.asn1.DERNull.INSTANCE),
                            Base64.getDecoder().decode(request.path("hash").asText())).getEncoded("DER"));
                    answer = Map.of("signature", Base64.getEncoder().encodeToString(rsa.sign()));
                }
            } else {
                status = 404;
                answer = Map.of("error", Map.of("status", "not_found", "message", "no such resource"));
            }
            byte[] out = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
