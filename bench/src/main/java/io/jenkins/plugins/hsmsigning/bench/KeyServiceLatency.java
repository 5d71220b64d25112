package io.jenkins.plugins.hsmsigning.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.cloud.HashiCorpVault;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Batch signing through a network key service: {@code --artifacts} small files signed (detached CMS) through a
 * loopback HashiCorp Vault transit stand-in that answers after {@code --latency-ms}, for each number of concurrent
 * operations in {@code --operations}, against the same with no latency. Prints a Markdown table.
 */
final class KeyServiceLatency {

    private static final String TOKEN = "bench-token";

    private KeyServiceLatency() {
    }

    static void main(String[] args) throws Exception {
        Options options = new Options(args);
        int artifacts = options.getInt("artifacts", 500);
        int latency = options.getInt("latency-ms", 50);
        Path dir = Files.createTempDirectory("key-service-latency");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        KeyPair key = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(key);
        StringBuilder table = new StringBuilder("| latency per signature | concurrent operations | artifacts | wall (s) "
                + "| artifacts/s |\n|---|---|---|---|---|\n");
        for (String operations : options.get("operations", "8,32").split(",")) {
            for (int delay : List.of(0, latency)) {
                List<Path> files = inputs(dir.resolve(operations + "-" + delay), artifacts);
                try (Stub stub = new Stub(key, delay)) {
                    double seconds = sign(stub.url(), certificate, files, Integer.parseInt(operations.strip()));
                    table.append(String.format("| %d ms | %s | %d | %.2f | %.0f |%n", delay, operations.strip(),
                            artifacts, seconds, artifacts / seconds));
                }
            }
        }
        System.out.print(table);
    }

    private static double sign(String url, X509Certificate certificate, List<Path> files, int operations)
            throws Exception {
        RemoteKeySource source = RemoteKeySource.of(HashiCorpVault.of(url, "", "bench", "", "",
                ServiceConnection.DEFAULT)).certificateChain(List.of(certificate)).maxConcurrentOperations(operations);
        ExecutorService pool = Executors.newFixedThreadPool(operations);
        try (Secret secret = Secret.of(TOKEN.toCharArray()); SigningKey signing = source.open(secret)) {
            ArtifactSigner signer = new ArtifactSigner(signing, SigningOptions.defaults().formats(Set.of(Format.CMS)));
            long start = System.nanoTime();
            List<Future<List<ReportEntry>>> results = new ArrayList<>();
            for (Path file : files) {
                results.add(pool.submit(() -> signer.sign(file, file.getFileName().toString())));
            }
            for (Future<List<ReportEntry>> result : results) {
                if (result.get().get(0).status() != Status.SIGNED) {
                    throw new IllegalStateException(result.get().get(0).reason());
                }
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    private static List<Path> inputs(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(count);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[4096];
            random.nextBytes(data);
            files.add(Files.write(dir.resolve("a" + i + ".bin"), data));
        }
        return files;
    }

    private static X509Certificate selfSigned(KeyPair key) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Bench Cloud Key"),
                BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=Bench Cloud Key"), key.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
    }

    /** Vault's transit sign call, answered after a fixed delay on as many threads as requests arrive. */
    private static final class Stub implements AutoCloseable {
        private final HttpServer server;
        private final KeyPair key;
        private final int delay;

        Stub(KeyPair key, int delay) throws IOException {
            this.key = key;
            this.delay = delay;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/transit/sign/bench/", this::sign);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void sign(HttpExchange exchange) throws IOException {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String input = body.replaceAll(".*\"input\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                Thread.sleep(delay);
                Signature rsa = Signature.getInstance("NONEwithRSA");
                rsa.initSign(key.getPrivate());
                rsa.update(new DigestInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                        Base64.getDecoder().decode(input)).getEncoded("DER"));
                byte[] answer = ("{\"data\":{\"signature\":\"vault:v1:"
                        + Base64.getEncoder().encodeToString(rsa.sign()) + "\"}}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))
                        ? 200 : 403, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (Exception e) {
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
