package io.jenkins.plugins.hsmsigning.engine.cloud;

import java.net.ProxySelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the engine talks to a key service: timeouts, retries and the proxy. Redirects are never followed: a key
 * service that redirects is misconfigured, and following would send credentials elsewhere.
 */
public final class ServiceConnection {

    /** No proxy, 10 s to connect, 30 s per request, 4 attempts for throttling and server errors. */
    public static final ServiceConnection DEFAULT =
            new ServiceConnection(null, Duration.ofSeconds(10), Duration.ofSeconds(30), 4, Duration.ofMillis(500),
                    List.of());

    private final ProxySelector proxy;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int attempts;
    private final Duration firstBackoff;
    private final List<X509Certificate> trusted;

    private ServiceConnection(ProxySelector proxy, Duration connectTimeout, Duration requestTimeout, int attempts,
            Duration firstBackoff, List<X509Certificate> trusted) {
        this.proxy = proxy;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
        this.trusted = trusted;
    }

    /**
     * Also trusts these TLS certificates (a private endpoint's own CA), besides the Java runtime's CA certificates.
     */
    public ServiceConnection trust(List<X509Certificate> certificates) {
        return new ServiceConnection(proxy, connectTimeout, requestTimeout, attempts, firstBackoff,
                List.copyOf(certificates));
    }

    /** Sends requests through {@code selector} (Jenkins' proxy settings, or the CLI's {@code --proxy}). */
    public ServiceConnection proxy(ProxySelector selector) {
        return new ServiceConnection(selector, connectTimeout, requestTimeout, attempts, firstBackoff, trusted);
    }

    public ServiceConnection timeouts(Duration connect, Duration request) {
        return new ServiceConnection(proxy, Objects.requireNonNull(connect), Objects.requireNonNull(request), attempts,
                firstBackoff, trusted);
    }

    /** {@code attempts} tries of a request that was throttled, failed on the server or timed out. */
    public ServiceConnection retries(int attempts, Duration firstBackoff) {
        return new ServiceConnection(proxy, connectTimeout, requestTimeout, Math.max(1, attempts), firstBackoff,
                trusted);
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

    List<X509Certificate> trusted() {
        return trusted;
    }
}
