package io.jenkins.plugins.hsmsigning.engine.timestamp;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackRelay;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Reaching a time-stamp authority through a proxy, and over HTTPS certified by a private CA. */
public class TimestamperConnectionTest {

    private LoopbackTsa tsa;

    @Before
    public void startTsa() {
        tsa = LoopbackTsa.start();
    }

    @After
    public void stopTsa() {
        tsa.close();
    }

    @Test
    public void sendsRequestsThroughTheProxy() throws Exception {
        try (LoopbackRelay proxy = LoopbackRelay.proxyTo(tsa.url())) {
            // a name that resolves nowhere: only the proxy can have answered
            TimestampSettings settings = TimestampSettings.of(List.of("http://tsa.invalid/"), true)
                    .withAttempts(1, Duration.ZERO)
                    .withProxy(ProxySelector.of(new InetSocketAddress("127.0.0.1",
                            Integer.parseInt(proxy.hostAndPort().split(":")[1]))));

            TimestampOutcome outcome = stamp(settings);

            assertTrue(outcome.failures().toString(), outcome.obtained());
            assertEquals(1, proxy.relayedCount());
            assertEquals(1, tsa.requestCount());
        }
    }

    @Test
    public void trustsAPrivateCaForTlsOnlyWhenGiven() throws Exception {
        try (LoopbackRelay https = LoopbackRelay.httpsTo(tsa.url())) {
            TimestampSettings settings = TimestampSettings.of(List.of(https.httpsUrl()), true)
                    .withAttempts(1, Duration.ZERO);

            TimestampOutcome untrusted = stamp(settings);

            assertFalse(untrusted.obtained());
            assertThat(untrusted.failures().get(0), containsString(TimestampFailure.TLS.describe()));
            assertEquals(0, tsa.requestCount());

            TimestampOutcome trusted = stamp(settings.withTlsTrust(List.of(TestPki.shared().caCertificate())));

            assertTrue(trusted.failures().toString(), trusted.obtained());
            assertEquals(1, https.relayedCount());
        }
    }

    private static TimestampOutcome stamp(TimestampSettings settings) {
        return new Timestamper(settings).timestamp("data".getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA256);
    }
}
