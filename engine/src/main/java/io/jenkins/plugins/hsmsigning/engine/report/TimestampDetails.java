package io.jenkins.plugins.hsmsigning.engine.report;

import java.time.Instant;

/** Which authority timestamped the signature (its URL when signing, its subject when verifying) and when. */
public record TimestampDetails(String authority, Instant time) {
}
