package io.jenkins.plugins.hsmsigning.engine.timestamp;

import java.time.Instant;
import java.util.List;
import org.bouncycastle.tsp.TimeStampToken;

/** What asking the authorities gave: a token (or none) and why each failed attempt failed. */
public record TimestampOutcome(TimeStampToken token, String authority, Instant time, List<String> failures) {

    public TimestampOutcome {
        failures = List.copyOf(failures);
    }

    public boolean obtained() {
        return token != null;
    }
}
