package io.jenkins.plugins.hsmsigning.engine.testing;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FixtureLoopbackTsaTest {

    private static final byte[] DATA = "data to time-stamp".getBytes(StandardCharsets.UTF_8);
    private static final int HANG_GUARD_MILLIS = 60_000;

    private static LoopbackTsa tsa;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final TimeStampRequest request = request();

    @BeforeClass
    public static void startTsa() {
        tsa = LoopbackTsa.start();
    }

    @AfterClass
    public static void stopTsa() {
        tsa.close();
    }

    @Before
    public void normalMode() {
        tsa.mode(LoopbackTsa.Mode.NORMAL);
    }

    @Test
    public void normalResponseValidatesAgainstTheTsaCertificate() throws Exception {
        int before = tsa.requestCount();
        Reply reply = post(request.getEncoded());
        assertEquals(before + 1, tsa.requestCount());
        assertEquals(200, reply.code());
        assertEquals("application/timestamp-reply", reply.contentType());

        TimeStampResponse response = new TimeStampResponse(reply.body());
        assertEquals(PKIStatus.GRANTED, response.getStatus());
        response.validate(request);
        TimeStampToken token = response.getTimeStampToken();
        token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa.certificate()));
        assertArrayEquals(request.getMessageImprintDigest(), token.getTimeStampInfo().getMessageImprintDigest());
        assertEquals(request.getNonce(), token.getTimeStampInfo().getNonce());
        assertEquals(LoopbackTsa.POLICY, token.getTimeStampInfo().getPolicy().getId());
        assertEquals(List.of(new X509CertificateHolder(tsa.certificate().getEncoded())),
                List.copyOf(token.getCertificates().getMatches(null)));
        assertEquals(TestPki.shared().caCertificate().getSubjectX500Principal(),
                tsa.certificate().getIssuerX500Principal());
    }

    @Test
    public void opensslAcceptsNormalResponse() throws Exception {
        ExternalTool.require("openssl");
        Path dir = tmp.getRoot().toPath();
        Path data = Files.write(dir.resolve("data.bin"), DATA);
        Path tsr = Files.write(dir.resolve("reply.tsr"), post(request.getEncoded()).body());
        Path ca = TestPki.shared().writeCaPem(dir.resolve("ca.pem"));
        Path tsaPem = Files.writeString(dir.resolve("tsa.pem"), TestPki.toPem(tsa.certificate()));
        ToolResult result = ExternalTool.run(List.of("openssl", "ts", "-verify", "-data", data.toString(),
                "-in", tsr.toString(), "-CAfile", ca.toString(), "-untrusted", tsaPem.toString()));
        assertEquals(result.output(), 0, result.exitCode());
        assertTrue(result.output(), result.output().contains("Verification: OK"));
    }

    @Test
    public void garbageIsNotATimeStampResponse() throws Exception {
        tsa.mode(LoopbackTsa.Mode.GARBAGE);
        Reply reply = post(request.getEncoded());
        assertEquals(200, reply.code());
        assertEquals("application/timestamp-reply", reply.contentType());
        assertThrows(Exception.class, () -> new TimeStampResponse(reply.body()));
    }

    @Test
    public void httpErrorIsStatus500() throws Exception {
        tsa.mode(LoopbackTsa.Mode.HTTP_ERROR);
        assertEquals(500, post(request.getEncoded()).code());
    }

    @Test
    public void wrongImprintIsAValidTokenForAnotherRequest() throws Exception {
        tsa.mode(LoopbackTsa.Mode.WRONG_IMPRINT);
        TimeStampResponse response = new TimeStampResponse(post(request.getEncoded()).body());
        TimeStampToken token = response.getTimeStampToken();
        token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa.certificate()));
        assertFalse(MessageDigest.isEqual(request.getMessageImprintDigest(),
                token.getTimeStampInfo().getMessageImprintDigest()));
        assertEquals(request.getNonce(), token.getTimeStampInfo().getNonce());
        assertThrows(TSPValidationException.class, () -> response.validate(request));
    }

    @Test
    public void wrongNonceIsAValidTokenWithAnotherNonce() throws Exception {
        tsa.mode(LoopbackTsa.Mode.WRONG_NONCE);
        TimeStampResponse response = new TimeStampResponse(post(request.getEncoded()).body());
        TimeStampToken token = response.getTimeStampToken();
        token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa.certificate()));
        assertArrayEquals(request.getMessageImprintDigest(), token.getTimeStampInfo().getMessageImprintDigest());
        assertFalse(request.getNonce().equals(token.getTimeStampInfo().getNonce()));
        assertThrows(TSPValidationException.class, () -> response.validate(request));
    }

    @Test
    public void rejectionHasNoToken() throws Exception {
        tsa.mode(LoopbackTsa.Mode.REJECTION);
        TimeStampResponse response = new TimeStampResponse(post(request.getEncoded()).body());
        assertEquals(PKIStatus.REJECTION, response.getStatus());
        assertNull(response.getTimeStampToken());
        assertEquals("rejected by test fault mode", response.getStatusString());
    }

    @Test
    public void slowRequestDoesNotBlockOthers() throws Exception {
        try (LoopbackTsa own = LoopbackTsa.start()) {
            own.mode(LoopbackTsa.Mode.SLOW);
            byte[] query = request.getEncoded();
            CompletableFuture<Reply> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(own.url(), query);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            while (own.requestCount() == 0) {
                assertFalse("the slow request ended before the TSA received it", held.isDone());
                Thread.sleep(10);
            }
            own.mode(LoopbackTsa.Mode.NORMAL);
            assertEquals(PKIStatus.GRANTED,
                    new TimeStampResponse(post(own.url(), query).body()).getStatus());
            assertFalse("the slow request is held until released", held.isDone());
            own.releaseSlow();
            assertEquals(PKIStatus.GRANTED, new TimeStampResponse(held.get().body()).getStatus());
        }
    }

    @Test
    public void acceptsSha512AndRejectsSha1Imprints() throws Exception {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        TimeStampRequest sha512 = generator.generate(TSPAlgorithms.SHA512,
                MessageDigest.getInstance("SHA-512").digest(DATA));
        TimeStampResponse granted = new TimeStampResponse(post(sha512.getEncoded()).body());
        granted.validate(sha512);
        TimeStampRequest sha1 = generator.generate(TSPAlgorithms.SHA1, MessageDigest.getInstance("SHA-1").digest(DATA));
        assertEquals(PKIStatus.REJECTION, new TimeStampResponse(post(sha1.getEncoded()).body()).getStatus());
    }

    private static TimeStampRequest request() {
        try {
            TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
            generator.setCertReq(true);
            return generator.generate(TSPAlgorithms.SHA256, MessageDigest.getInstance("SHA-256").digest(DATA),
                    new BigInteger(64, new SecureRandom()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reply post(byte[] query) throws IOException {
        return post(tsa.url(), query);
    }

    /** POSTs {@code query}; the read timeout only guards against a hang. */
    private static Reply post(String url, byte[] query) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        try {
            connection.setDoOutput(true);
            connection.setReadTimeout(HANG_GUARD_MILLIS);
            connection.setRequestProperty("Content-Type", "application/timestamp-query");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(query);
            }
            int code = connection.getResponseCode();
            InputStream body = code < 400 ? connection.getInputStream() : connection.getErrorStream();
            return new Reply(code, connection.getContentType(), body == null ? new byte[0] : body.readAllBytes());
        } finally {
            connection.disconnect();
        }
    }

    private record Reply(int code, String contentType, byte[] body) {
    }
}
