package io.jenkins.plugins.hsmsigning.engine.revocation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An OCSP responder ({@code POST /ocsp}) and a CRL distribution point ({@code GET /crl}) on 127.0.0.1, answering
 * for one CA with Bouncy Castle's OCSP classes. Tests choose what it says: the status per serial number, the CRL, a
 * foreign signing key, a redirect, or an answer too large to accept.
 */
final class LoopbackRevocationServer implements AutoCloseable {

    enum Mode { NORMAL, REDIRECT, HUGE, ERROR }

    private final HttpServer server;
    private final TestPki ca;
    private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();
    private final AtomicInteger ocspRequests = new AtomicInteger();
    private final AtomicInteger crlRequests = new AtomicInteger();
    private final AtomicInteger redirectTargetRequests = new AtomicInteger();
    private volatile X509CRL crl;
    private volatile Mode mode = Mode.NORMAL;
    private volatile PrivateKey ocspKey;
    private volatile X509Certificate ocspCertificate;
    private volatile boolean answerUnknown;

    LoopbackRevocationServer(TestPki ca) throws IOException {
        this.ca = ca;
        this.ocspKey = ca.caKey();
        this.ocspCertificate = ca.caCertificate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ocsp", this::ocsp);
        server.createContext("/crl", this::crl);
        server.createContext("/elsewhere", exchange -> {
            redirectTargetRequests.incrementAndGet();
            reply(exchange, 200, new byte[0]);
        });
        server.start();
    }

    String ocspUrl() {
        return base() + "/ocsp";
    }

    String crlUrl() {
        return base() + "/crl";
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void revoke(BigInteger serial, Instant at) {
        revoked.put(serial, at);
    }

    void crl(X509CRL list) {
        crl = list;
    }

    void mode(Mode newMode) {
        mode = newMode;
    }

    /** Sign OCSP answers with this key and certificate instead of the CA's. */
    void ocspSigner(PrivateKey key, X509Certificate certificate) {
        ocspKey = key;
        ocspCertificate = certificate;
    }

    void answerUnknown(boolean unknown) {
        answerUnknown = unknown;
    }

    int ocspRequests() {
        return ocspRequests.get();
    }

    int crlRequests() {
        return crlRequests.get();
    }

    int redirectTargetRequests() {
        return redirectTargetRequests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void ocsp(HttpExchange exchange) throws IOException {
        ocspRequests.incrementAndGet();
        if (special(exchange)) {
            return;
        }
        try {
            OCSPReq request = new OCSPReq(exchange.getRequestBody().readAllBytes());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(new JcaX509CertificateHolder(
                    ocspCertificate).getSubject()));
            Date now = new Date();
            Date next = Date.from(Instant.now().plus(Duration.ofDays(1)));
            for (Req one : request.getRequestList()) {
                Instant revokedAt = revoked.get(one.getCertID().getSerialNumber());
                CertificateStatus status = answerUnknown ? new UnknownStatus() : revokedAt == null
                        ? CertificateStatus.GOOD : new RevokedStatus(Date.from(revokedAt), CRLReason.keyCompromise);
                builder.addResponse(one.getCertID(), status, now, next, null);
            }
            if (request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce) != null) {
                builder.setResponseExtensions(new Extensions(request.getExtension(
                        OCSPObjectIdentifiers.id_pkix_ocsp_nonce)));
            }
            X509CertificateHolder[] chain = ocspCertificate.equals(ca.caCertificate()) ? null
                    : new X509CertificateHolder[] {new JcaX509CertificateHolder(ocspCertificate)};
            BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ocspKey), chain,
                    now);
            reply(exchange, 200, new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded());
        } catch (Exception e) {
            reply(exchange, 500, e.toString().getBytes());
        }
    }

    private void crl(HttpExchange exchange) throws IOException {
        crlRequests.incrementAndGet();
        if (special(exchange)) {
            return;
        }
        try {
            X509CRL list = crl;
            if (list == null) {
                reply(exchange, 404, new byte[0]);
            } else {
                reply(exchange, 200, list.getEncoded());
            }
        } catch (Exception e) {
            reply(exchange, 500, e.toString().getBytes());
        }
    }

    /** Answers in the special modes; false in the normal one. */
    private boolean special(HttpExchange exchange) throws IOException {
        switch (mode) {
            case REDIRECT -> {
                exchange.getResponseHeaders().set("Location", base() + "/elsewhere");
                reply(exchange, 302, new byte[0]);
                return true;
            }
            case HUGE -> {
                reply(exchange, 200, new byte[Crls.MAX_CRL_BYTES + 1024]);
                return true;
            }
            case ERROR -> {
                reply(exchange, 503, new byte[0]);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
