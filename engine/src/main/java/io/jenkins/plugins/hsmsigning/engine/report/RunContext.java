package io.jenkins.plugins.hsmsigning.engine.report;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Who or what asked for the run and when, plus free-form metadata such as job, build and commit. */
public record RunContext(String requestedBy, Instant startedAt, Map<String, String> metadata) {

    public RunContext {
        metadata = metadata == null ? Map.of() : new TreeMap<>(metadata);
    }

    public static RunContext now(String requestedBy, Map<String, String> metadata) {
        return new RunContext(requestedBy, Instant.now(), metadata);
    }
}
