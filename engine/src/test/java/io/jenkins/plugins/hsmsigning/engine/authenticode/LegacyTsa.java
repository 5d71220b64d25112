package io.jenkins.plugins.hsmsigning.engine.authenticode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;

/**
 * A legacy Authenticode time-stamp authority on 127.0.0.1: it answers a base64 {@code SpcTimeStampRequest} with a
 * base64 PKCS#7 SignedData over the signature value it was sent, signed with a key whose certificate the test CA
 * issued for time-stamping. Enough for jsign to countersign and osslsigncode to check the countersignature.
 */
final class LegacyTsa implements AutoCloseable {

    private final KeyPair key;
    private final X509Certificate certificate;
    private final HttpServer server;

    LegacyTsa() throws IOException {
        this(TestPki.generateRsa(2048), null);
    }

    /**
     * Countersigns with {@code key} and {@code certificate}, which need not be a time-stamping certificate; null
     * means one the test CA issues for time-stamping.
     */
    LegacyTsa(KeyPair key, X509Certificate certificate) throws IOException {
        this.key = key;
        this.certificate = certificate != null ? certificate
                : TestPki.shared().issueTsa(key.getPublic(), "HSM Signing Legacy TSA");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] reply;
            int status = 200;
            try {
                reply = countersign(exchange.getRequestBody().readAllBytes());
            } catch (Exception e) {
                reply = e.toString().getBytes(StandardCharsets.UTF_8);
                status = 500;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(status, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    private byte[] countersign(byte[] base64Request) throws Exception {
        byte[] request = Base64.getMimeDecoder().decode(base64Request);
        ContentInfo content = ContentInfo.getInstance(ASN1Sequence.getInstance(request).getObjectAt(1));
        byte[] signature = ASN1OctetString.getInstance(content.getContent()).getOctets();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .build("SHA256withRSA", key.getPrivate(), certificate));
        generator.addCertificates(new JcaCertStore(List.of(certificate)));
        return Base64.getEncoder().encode(generator.generate(new CMSProcessableByteArray(signature), true)
                .getEncoded(ASN1Encoding.DER));
    }
}
