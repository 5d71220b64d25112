package io.jenkins.plugins.hsmsigning.engine.cloud;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.Objects;

/**
 * How the engine talks to a key service: timeouts, retries and the proxy. Redirects are never followed: a key
 * service that redirects is misconfigured, and following would send credentials elsewhere.
 */
public final class ServiceConnection {

    /** No proxy, 10 s to connect, 30 s per request, 4 attempts for throttling and server errors. */
    public static final ServiceConnection DEFAULT =
            new ServiceConnection(null, Duration.ofSeconds(10), Duration.ofSeconds(30), 4, Duration.ofMillis(500));

    private final ProxySelector proxy;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int attempts;
    private final Duration firstBackoff;

    private ServiceConnection(ProxySelector proxy, Duration connectTimeout, Duration requestTimeout, int attempts,
            Duration firstBackoff) {
        this.proxy = proxy;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
    }

    /** Sends requests through {@code selector} (Jenkins' proxy settings, or the CLI's {@code --proxy}). */
    public ServiceConnection proxy(ProxySelector selector) {
        return new ServiceConnection(selector, connectTimeout, requestTimeout, attempts, firstBackoff);
    }

    public ServiceConnection timeouts(Duration connect, Duration request) {
        return new ServiceConnection(proxy, Objects.requireNonNull(connect), Objects.requireNonNull(request), attempts,
                firstBackoff);
    }

    /** {@code attempts} tries of a request that was throttled, failed on the server or timed out. */
    public ServiceConnection retries(int attempts, Duration firstBackoff) {
        return new ServiceConnection(proxy, connectTimeout, requestTimeout, Math.max(1, attempts), firstBackoff);
    }

    ProxySelector proxy() {
        return proxy;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    int attempts() {
        return attempts;
    }

    Duration firstBackoff() {
        return firstBackoff;
    }
}
