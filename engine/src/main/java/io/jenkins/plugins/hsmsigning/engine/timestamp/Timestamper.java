package io.jenkins.plugins.hsmsigning.engine.timestamp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.net.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * An RFC 3161 client that fails over: each URL is tried a bounded number of times with a bounded timeout, and a
 * response is accepted only when it answers this very request (status, imprint, nonce) and its token's signature
 * verifies with the certificate it carries. Whether the authority is trusted is decided at verification.
 * Redirects are not followed (a redirect would lead the controller to an address nobody allowed), and a failure is
 * reported as the authority's URL and a {@link TimestampFailure} kind: never the status, headers or body the host
 * sent, so that the client cannot serve as a probe of other hosts.
 */
public final class Timestamper {

    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TimestampSettings settings;
    private HttpClient http;

    public Timestamper(TimestampSettings settings) {
        this.settings = settings;
    }

    /**
     * Made at the first request: an HTTP client costs a selector thread and TLS set-up that unstamped runs never
     * need.
     */
    private synchronized HttpClient http() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (settings.proxy() != null) {
                builder.proxy(settings.proxy());
            }
            if (!settings.tlsTrust().isEmpty()) {
                builder.sslContext(TlsTrust.context(null, settings.tlsTrust()));
            }
            http = builder.build();
        }
        return http;
    }

    public TimestampSettings settings() {
        return settings;
    }

    /** Timestamps {@code data} (for CMS, the signature value); tries every URL before giving up. */
    public TimestampOutcome timestamp(byte[] data, DigestAlgorithm digest) {
        byte[] imprint = digest.newDigest().digest(data);
        List<String> failures = new ArrayList<>();
        for (URI url : settings.urls()) {
            for (int attempt = 1; attempt <= settings.attemptsPerUrl(); attempt++) {
                try {
                    TimeStampToken token = request(url, imprint, digest);
                    return new TimestampOutcome(token, url.toString(), token.getTimeStampInfo().getGenTime().toInstant(),
                            failures);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(url + ": " + TimestampFailure.INTERRUPTED.describe());
                    return new TimestampOutcome(null, null, null, failures);
                } catch (Exception e) {
                    failures.add(url + ": " + reason(e));
                    if (attempt < settings.attemptsPerUrl()) {
                        pause();
                    }
                }
            }
        }
        return new TimestampOutcome(null, null, null, failures);
    }

    /** Like {@link #timestamp} but fails when the settings require a timestamp and none was obtained. */
    public TimestampOutcome timestampAsRequired(byte[] data, DigestAlgorithm digest, String artifact)
            throws SigningException {
        TimestampOutcome outcome = timestamp(data, digest);
        if (!outcome.obtained() && settings.required()) {
            throw new SigningException(Kind.TIMESTAMP, "No time-stamp authority answered for " + artifact
                    + " and the profile requires a timestamp (" + String.join("; ", outcome.failures()) + ").");
        }
        return outcome;
    }

    private TimeStampToken request(URI url, byte[] imprint, DigestAlgorithm digest) throws Exception {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        BigInteger nonce = new BigInteger(63, RANDOM);
        TimeStampRequest request = generator.generate(digest.oid(), imprint, nonce);
        HttpRequest httpRequest = HttpRequest.newBuilder(url).timeout(settings.timeout())
                .header("Content-Type", "application/timestamp-query")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build();
        HttpResponse<InputStream> response = http().send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 == 3) {
                throw new TimestampFailure.Failed(TimestampFailure.REDIRECT);
            }
            if (response.statusCode() != 200) {
                throw new TimestampFailure.Failed(TimestampFailure.HTTP_ERROR);
            }
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new TimestampFailure.Failed(TimestampFailure.TOO_LARGE);
        }
        TimeStampResponse tsr;
        try {
            tsr = new TimeStampResponse(body);
        } catch (TSPException | IOException | RuntimeException e) {
            throw new TimestampFailure.Failed(TimestampFailure.NOT_A_TIMESTAMP_RESPONSE);
        }
        if (tsr.getTimeStampToken() == null) {
            throw new TimestampFailure.Failed(TimestampFailure.REFUSED);
        }
        try {
            tsr.validate(request);
        } catch (TSPException | RuntimeException e) {
            throw new TimestampFailure.Failed(TimestampFailure.WRONG_ANSWER);
        }
        TimeStampToken token = tsr.getTimeStampToken();
        try {
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signerCertificate(token)));
        } catch (Exception e) {
            throw new TimestampFailure.Failed(TimestampFailure.BAD_TOKEN);
        }
        return token;
    }

    /** The certificate that signed {@code token}, from the certificates it carries. */
    public static X509Certificate signerCertificate(TimeStampToken token) throws TSPException {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = token.getCertificates().getMatches(token.getSID());
        if (matches.isEmpty()) {
            throw new TSPException("the token does not carry its signer's certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
        } catch (Exception e) {
            throw new TSPException("the token's signer certificate cannot be read");
        }
    }

    private static String reason(Exception e) {
        return TimestampFailure.of(e).describe();
    }

    private void pause() {
        try {
            Thread.sleep(settings.retryWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
