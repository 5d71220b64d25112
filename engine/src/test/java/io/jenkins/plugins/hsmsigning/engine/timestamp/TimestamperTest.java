package io.jenkins.plugins.hsmsigning.engine.timestamp;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.Test;

/**
 * The RFC 3161 client follows no redirect and reports the authority and the kind of failure, never what the host
 * answered: otherwise a build could use the controller to reach and probe other hosts.
 */
public class TimestamperTest {

    private static final String SECRET_BODY = "internal-admin-panel-v2 <title>Router login</title>";

    private static TimestampOutcome ask(String url) throws Exception {
        TimestampSettings settings = TimestampSettings.of(List.of(url), false).withAttempts(1, Duration.ZERO)
                .withTimeout(Duration.ofSeconds(5));
        return new Timestamper(settings).timestamp("data".getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA256);
    }

    /** A host on 127.0.0.1 that answers every request with {@code status}, a Location header and a telling body. */
    private static HttpServer host(int status, String location) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (location != null) {
                    exchange.getResponseHeaders().add("Location", location);
                }
                byte[] body = SECRET_BODY.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Server", "SecretServer/9.9");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    public void aRedirectIsNotFollowed() throws Exception {
        try (LoopbackTsa tsa = LoopbackTsa.start()) {
            HttpServer redirect = host(302, tsa.url());
            try {
                TimestampOutcome outcome = ask(url(redirect));
                assertFalse("the authority redirected to was not asked", outcome.obtained());
                assertEquals(0, tsa.requestCount());
                assertEquals(List.of(url(redirect) + ": it answered with a redirect, which is not followed"),
                        outcome.failures());
            } finally {
                redirect.stop(0);
            }
        }
    }

    @Test
    public void whatAHostAnsweredIsNeverEchoed() throws Exception {
        for (int status : List.of(200, 401, 418, 500)) {
            HttpServer server = host(status, null);
            try {
                TimestampOutcome outcome = ask(url(server));
                assertFalse(outcome.obtained());
                String failure = outcome.failures().get(0);
                assertThat(failure, containsString(url(server)));
                assertThat(failure, not(containsString("Router")));
                assertThat(failure, not(containsString("SecretServer")));
                assertThat(failure, not(containsString(String.valueOf(status))));
                assertThat(failure, containsString(status == 200
                        ? TimestampFailure.NOT_A_TIMESTAMP_RESPONSE.describe()
                        : TimestampFailure.HTTP_ERROR.describe()));
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    public void failuresOfARealAuthorityAreReportedByKind() throws Exception {
        try (LoopbackTsa tsa = LoopbackTsa.start()) {
            tsa.mode(LoopbackTsa.Mode.REJECTION);
            assertEquals(List.of(tsa.url() + ": " + TimestampFailure.REFUSED.describe()), ask(tsa.url()).failures());
            tsa.mode(LoopbackTsa.Mode.WRONG_NONCE);
            assertEquals(List.of(tsa.url() + ": " + TimestampFailure.WRONG_ANSWER.describe()),
                    ask(tsa.url()).failures());
            tsa.mode(LoopbackTsa.Mode.NORMAL);
            assertTrue(ask(tsa.url()).obtained());
        }
    }

    @Test
    public void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        assertEquals(List.of(url + ": " + TimestampFailure.UNREACHABLE.describe()), ask(url).failures());
    }
}
