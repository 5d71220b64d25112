package io.jenkins.plugins.hsmsigning.engine.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * An RFC 3161 time-stamp authority on {@code 127.0.0.1} with a software RSA key and a certificate from
 * {@link TestPki#shared()}. Tokens are SHA256withRSA under policy {@value #POLICY}, echo the request nonce and carry
 * the TSA certificate when the request asks for it. {@link #mode(Mode)} switches to a fault mode at any time.
 */
public final class LoopbackTsa implements AutoCloseable {

    /** The TSA policy OID of every token. */
    public static final String POLICY = "1.2.3.4.1";

    /** How the TSA answers the next requests. */
    public enum Mode {
        /** A valid token for the request. */
        NORMAL,
        /** HTTP 200 with content type {@code application/timestamp-reply} and random bytes. */
        GARBAGE,
        /** A valid token, but only once {@link #releaseSlow()} or {@link #close()} is called: a TSA that hangs. */
        SLOW,
        /** HTTP 500. */
        HTTP_ERROR,
        /** A valid token over a different message imprint. */
        WRONG_IMPRINT,
        /** A valid token with a different nonce. */
        WRONG_NONCE,
        /** A response with PKIStatus rejection and no token. */
        REJECTION
    }

    private static final Set<ASN1ObjectIdentifier> ACCEPTED_DIGESTS =
            Set.of(TSPAlgorithms.SHA256, TSPAlgorithms.SHA384, TSPAlgorithms.SHA512);

    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong serials = new AtomicLong();
    private final X509Certificate certificate;
    private final TimeStampResponseGenerator responses;
    private final ExecutorService executor;
    private final HttpServer server;
    private final CountDownLatch slowReleased = new CountDownLatch(1);
    private volatile Mode mode = Mode.NORMAL;

    private LoopbackTsa(TestPki pki) throws Exception {
        KeyPair key = TestPki.generateRsa(2048);
        certificate = pki.issueTsa(key.getPublic(), "HSM Signing Test TSA");
        TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withRSA", key.getPrivate(), certificate),
                new JcaDigestCalculatorProviderBuilder().build()
                        .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                new ASN1ObjectIdentifier(POLICY));
        tokens.addCertificates(new JcaCertStore(List.of(certificate)));
        responses = new TimeStampResponseGenerator(tokens, ACCEPTED_DIGESTS);
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "loopback-tsa");
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a TSA whose certificate is issued by {@link TestPki#shared()}. */
    public static LoopbackTsa start() {
        try {
            return new LoopbackTsa(TestPki.shared());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the loopback TSA", e);
        }
    }

    /** The URL to POST {@code application/timestamp-query} requests to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The TSA certificate (critical EKU timeStamping), issued by the shared test CA. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The number of HTTP requests received so far, in any mode. */
    public int requestCount() {
        return requests.get();
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Lets every {@link Mode#SLOW} request held so far, and every later one, be answered. */
    public void releaseSlow() {
        slowReleased.countDown();
    }

    @Override
    public void close() {
        slowReleased.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Mode current = mode;
            byte[] query = exchange.getRequestBody().readAllBytes();
            switch (current) {
                case HTTP_ERROR -> exchange.sendResponseHeaders(500, -1);
                case GARBAGE -> {
                    byte[] garbage = new byte[256];
                    random.nextBytes(garbage);
                    garbage[0] = (byte) 0xff; // never a DER SEQUENCE, so parsing always fails
                    reply(exchange, garbage);
                }
                case SLOW -> {
                    slowReleased.await();
                    reply(exchange, respond(query, Mode.NORMAL));
                }
                default -> reply(exchange, respond(query, current));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Synchronized because the token generator's signer is not thread-safe. */
    private synchronized byte[] respond(byte[] query, Mode current) throws IOException {
        try {
            TimeStampRequest request;
            try {
                request = new TimeStampRequest(query);
            } catch (IOException | RuntimeException e) {
                return responses.generateFailResponse(PKIStatus.REJECTION, PKIFailureInfo.badDataFormat,
                        "not a time-stamp request").getEncoded(ASN1Encoding.DL);
            }
            TimeStampResponse response = switch (current) {
                case REJECTION -> responses.generateFailResponse(PKIStatus.REJECTION, PKIFailureInfo.systemFailure,
                        "rejected by test fault mode");
                case WRONG_IMPRINT -> grant(otherRequest(request, flipped(request.getMessageImprintDigest()),
                        request.getNonce()));
                case WRONG_NONCE -> grant(otherRequest(request, request.getMessageImprintDigest(),
                        request.getNonce() == null ? BigInteger.valueOf(random.nextLong()).abs()
                                : request.getNonce().add(BigInteger.ONE)));
                default -> grant(request);
            };
            return response.getEncoded(ASN1Encoding.DL);
        } catch (TSPException e) {
            throw new IOException(e);
        }
    }

    private TimeStampResponse grant(TimeStampRequest request) throws TSPException {
        return responses.generate(request, BigInteger.valueOf(serials.incrementAndGet()), new Date());
    }

    private static TimeStampRequest otherRequest(TimeStampRequest original, byte[] imprint, BigInteger nonce) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(original.getCertReq());
        if (original.getReqPolicy() != null) {
            generator.setReqPolicy(original.getReqPolicy());
        }
        return generator.generate(original.getMessageImprintAlgOID(), imprint, nonce);
    }

    private static byte[] flipped(byte[] digest) {
        byte[] other = digest.clone();
        other[0] ^= (byte) 0xff;
        return other;
    }

    private static void reply(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
