package io.jenkins.plugins.hsmsigning.engine.timestamp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.net.ProxySelector;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which RFC 3161 time-stamp authorities to ask, in order, how to reach them, and what a failure means. There is no
 * default authority: with no URL, nothing is timestamped and nothing is contacted. {@code proxy} is null for direct
 * connections; {@code tlsTrust} are CA certificates trusted for the authorities' HTTPS besides the Java runtime's
 * (a private TSA's CA). Neither decides whether a timestamp is trusted: verification does.
 */
public record TimestampSettings(List<URI> urls, boolean required, Duration timeout, int attemptsPerUrl,
        Duration retryWait, ProxySelector proxy, List<X509Certificate> tlsTrust) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_ATTEMPTS_PER_URL = 2;
    public static final Duration DEFAULT_RETRY_WAIT = Duration.ofSeconds(1);

    public TimestampSettings {
        urls = List.copyOf(urls);
        tlsTrust = List.copyOf(tlsTrust);
    }

    /** Direct connections, trusting the Java runtime's CA certificates only. */
    public TimestampSettings(List<URI> urls, boolean required, Duration timeout, int attemptsPerUrl,
            Duration retryWait) {
        this(urls, required, timeout, attemptsPerUrl, retryWait, null, List.of());
    }

    public static TimestampSettings none() {
        return new TimestampSettings(List.of(), false, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS_PER_URL, DEFAULT_RETRY_WAIT);
    }

    /** Parses URLs as a user types them; only http and https are accepted. */
    public static TimestampSettings of(List<String> urls, boolean required) throws SigningException {
        List<URI> parsed = new ArrayList<>();
        for (String url : urls) {
            if (url == null || url.isBlank()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new SigningException(Kind.CONFIGURATION, "The time-stamp authority URL '" + url
                        + "' is not a valid URL.", e);
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new SigningException(Kind.CONFIGURATION, "The time-stamp authority URL '" + url
                        + "' must be an http or https URL.");
            }
            parsed.add(uri);
        }
        return new TimestampSettings(parsed, required, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS_PER_URL, DEFAULT_RETRY_WAIT);
    }

    public boolean enabled() {
        return !urls.isEmpty();
    }

    public TimestampSettings withTimeout(Duration newTimeout) {
        return new TimestampSettings(urls, required, newTimeout, attemptsPerUrl, retryWait, proxy, tlsTrust);
    }

    public TimestampSettings withAttempts(int attempts, Duration wait) {
        return new TimestampSettings(urls, required, timeout, Math.max(1, attempts), wait, proxy, tlsTrust);
    }

    /** Sends time-stamp requests through {@code selector} (the CLI's {@code --proxy}, Jenkins' proxy). */
    public TimestampSettings withProxy(ProxySelector selector) {
        return new TimestampSettings(urls, required, timeout, attemptsPerUrl, retryWait, selector, tlsTrust);
    }

    /** Also trusts {@code certificates} for the authorities' TLS, besides the Java runtime's CA certificates. */
    public TimestampSettings withTlsTrust(List<X509Certificate> certificates) {
        return new TimestampSettings(urls, required, timeout, attemptsPerUrl, retryWait, proxy, certificates);
    }
}
