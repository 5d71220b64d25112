package io.jenkins.plugins.hsmsigning.engine.revocation;

import java.time.Instant;

/**
 * What one source (a CRL, an OCSP responder) says about one certificate.
 *
 * @param revokedAt when it was revoked, for {@link State#REVOKED}
 * @param detail    for people: the reason for a revocation, or why the status is unknown
 * @param source    where it was learnt: a CRL's issuer and date, or a responder's URL
 */
record RevocationStatus(State state, Instant revokedAt, String detail, String source) {

    enum State { GOOD, REVOKED, UNKNOWN }

    static RevocationStatus good(String source) {
        return new RevocationStatus(State.GOOD, null, null, source);
    }

    static RevocationStatus revoked(Instant at, String reason, String source) {
        return new RevocationStatus(State.REVOKED, at, reason, source);
    }

    static RevocationStatus unknown(String why) {
        return new RevocationStatus(State.UNKNOWN, null, why, null);
    }

    boolean known() {
        return state != State.UNKNOWN;
    }
}
