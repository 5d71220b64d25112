package io.jenkins.plugins.hsmsigning.engine.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One signature among those a file or signature file carries, with its own verdict: a file signed by several keys
 * lists each of them, the unknown and the refused ones too. {@code algorithm} names the algorithm for people
 * ({@code RSA-3072 with SHA-256}, {@code ECDSA P-256 with SHA-384}, {@code Ed25519 with SHA-512}); {@code signedAt} is
 * the time the signature claims (OpenPGP creation time, CMS signing time), not a trusted time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignerVerdict(SignerDetails signer, String algorithm, String digestAlgorithm, Instant signedAt,
        TimestampDetails timestamp, Status status, Failure failure, String reason) {
}
