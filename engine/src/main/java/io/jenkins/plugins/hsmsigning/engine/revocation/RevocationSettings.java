package io.jenkins.plugins.hsmsigning.engine.revocation;

import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.List;

/**
 * How revocation is checked: the mode, the CRLs an administrator or user supplied, and whether the OCSP responders and
 * CRL distribution points that certificates name may be contacted. Those URLs come with the signature and so may be
 * chosen by an attacker: {@code online} is off unless an administrator turns it on.
 *
 * @param timeout how long one online request may take
 */
public record RevocationSettings(RevocationMode mode, List<X509CRL> crls, boolean online, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public RevocationSettings {
        crls = List.copyOf(crls);
    }

    public static RevocationSettings of(RevocationMode mode, List<X509CRL> crls, boolean online) {
        return new RevocationSettings(mode, crls, online, DEFAULT_TIMEOUT);
    }

    /** Soft checking against no source: every signature says that its revocation status was not learnt. */
    public static RevocationSettings defaults() {
        return of(RevocationMode.SOFT, List.of(), false);
    }

    public static RevocationSettings off() {
        return of(RevocationMode.OFF, List.of(), false);
    }
}
