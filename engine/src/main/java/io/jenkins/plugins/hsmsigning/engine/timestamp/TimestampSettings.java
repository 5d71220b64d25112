package io.jenkins.plugins.hsmsigning.engine.timestamp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which RFC 3161 time-stamp authorities to ask, in order, and what a failure means. There is no default authority:
 * with no URL, nothing is timestamped and nothing is contacted.
 */
public record TimestampSettings(List<URI> urls, boolean required, Duration timeout, int attemptsPerUrl,
        Duration retryWait) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_ATTEMPTS_PER_URL = 2;
    public static final Duration DEFAULT_RETRY_WAIT = Duration.ofSeconds(1);

    public TimestampSettings {
        urls = List.copyOf(urls);
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
        return new TimestampSettings(urls, required, newTimeout, attemptsPerUrl, retryWait);
    }

    public TimestampSettings withAttempts(int attempts, Duration wait) {
        return new TimestampSettings(urls, required, timeout, Math.max(1, attempts), wait);
    }
}
