package io.jenkins.plugins.hsmsigning.engine.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A server on 127.0.0.1 that passes every POST on to one target URL and returns its answer: as a plain HTTP proxy
 * (clients send it absolute URLs for any host) or as an HTTPS front whose server certificate is issued by
 * {@link TestPki#shared()} for 127.0.0.1, to test trusting a private CA. It counts what it relayed.
 */
public final class LoopbackRelay implements AutoCloseable {

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger relayed = new AtomicInteger();

    private LoopbackRelay(HttpServer server, String target) {
        this.server = server;
        this.target = URI.create(target);
        server.createContext("/", this::relay);
        server.start();
    }

    /** A plain HTTP proxy that sends every request to {@code target}, whatever host it was meant for. */
    public static LoopbackRelay proxyTo(String target) {
        try {
            return new LoopbackRelay(HttpServer.create(loopback(), 0), target);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTPS server for 127.0.0.1, certified by the shared test CA, in front of {@code target}. */
    public static LoopbackRelay httpsTo(String target) {
        try {
            TestPki pki = TestPki.shared();
            KeyPair key = TestPki.generateRsa(2048);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key.getPrivate(), new char[0],
                    new X509Certificate[] {serverCertificate(pki, key), pki.caCertificate()});
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            return new LoopbackRelay(server, target);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** HOST:PORT, as {@code --proxy} takes it. */
    public String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public String httpsUrl() {
        return "https://" + hostAndPort() + "/";
    }

    public int relayedCount() {
        return relayed.get();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                request.header("Content-Type", type);
            }
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            relayed.incrementAndGet();
            answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set(
                    "Content-Type", t));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static X509Certificate serverCertificate(TestPki pki, KeyPair key) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(pki.caCertificate().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=127.0.0.1"), key.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pki.caKey())));
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
