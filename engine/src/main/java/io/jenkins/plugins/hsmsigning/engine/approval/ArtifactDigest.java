package io.jenkins.plugins.hsmsigning.engine.approval;

/** One artifact as approvers saw it: its path (as the build knows it) and the SHA-256 of its bytes, in hex. */
public record ArtifactDigest(String path, String sha256) {
}
