package io.jenkins.plugins.hsmsigning.engine.cloud;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A bearer token kept fresh: fetched on first use, fetched again a while before it expires, and on demand when the
 * service says it no longer accepts it (a token that expires in the middle of a batch). Never printed.
 */
final class AccessToken {

    /** Fetches a token; returns it with its lifetime. */
    interface Source {
        Issued fetch() throws SigningException;
    }

    record Issued(String value, Duration lifetime) {
        @Override
        public String toString() {
            return "token valid for " + lifetime;
        }
    }

    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final Source source;
    private final Clock clock;
    private String value;
    private Instant refreshAt = Instant.MIN;

    AccessToken(Source source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    synchronized String get() throws SigningException {
        if (value == null || !clock.instant().isBefore(refreshAt)) {
            Issued issued = source.fetch();
            value = issued.value();
            Duration early = issued.lifetime().compareTo(REFRESH_BEFORE_EXPIRY.multipliedBy(2)) > 0
                    ? REFRESH_BEFORE_EXPIRY : issued.lifetime().dividedBy(2);
            refreshAt = clock.instant().plus(issued.lifetime()).minus(early);
        }
        return value;
    }

    /** Forgets {@code rejected} so that the next {@link #get} fetches a new token, unless another thread already did. */
    synchronized void invalidate(String rejected) {
        if (rejected.equals(value)) {
            value = null;
        }
    }

    @Override
    public String toString() {
        return "AccessToken";
    }
}
