package io.jenkins.plugins.hsmsigning.engine.expiry;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Which certificates of a signing chain expire soon or have expired: code signing stops on the day the signing
 * certificate or one of its issuers expires, so admins are told beforehand. Works on certificates already at hand
 * (a profile's chain, a key's certificate); it never contacts a token or a service.
 */
public final class CertificateExpiry {

    /** How many days ahead admins are warned unless they choose otherwise. */
    public static final int DEFAULT_WARNING_DAYS = 30;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private CertificateExpiry() {
    }

    /**
     * A certificate that expires within the warning window or has expired.
     *
     * @param signer whether it is a signing (end-entity) certificate rather than an issuer
     */
    public record Expiring(String subject, Instant notAfter, boolean signer, boolean expired) {

        /** {@code the signing certificate CN=x expires on 2027-01-01 10:00 UTC (in 9 days)}. */
        public String describe(Instant now) {
            String what = (signer ? "the signing certificate " : "the issuer certificate ") + subject;
            if (expired) {
                return what + " expired on " + date(notAfter);
            }
            long days = daysLeft(now, notAfter);
            return what + " expires on " + date(notAfter) + " (in " + days + (days == 1 ? " day)" : " days)");
        }
    }

    /**
     * The certificates of {@code chain} that expire before {@code now + warningDays} (or have expired), earliest
     * first. A certificate that issued none of the others is a signing certificate; the others are issuers.
     */
    public static List<Expiring> within(List<X509Certificate> chain, int warningDays, Instant now) {
        Instant limit = now.plus(Duration.ofDays(Math.max(0, warningDays)));
        List<Expiring> expiring = new ArrayList<>();
        for (X509Certificate cert : chain) {
            Instant notAfter = cert.getNotAfter().toInstant();
            if (notAfter.isBefore(limit)) {
                expiring.add(new Expiring(cert.getSubjectX500Principal().getName(), notAfter,
                        !issuesAnother(cert, chain), notAfter.isBefore(now)));
            }
        }
        expiring.sort((a, b) -> a.notAfter().compareTo(b.notAfter()));
        return expiring;
    }

    /** One certificate's validity for a connection test: when it ends, and a warning when that is soon. */
    public static String validity(X509Certificate cert, int warningDays, Instant now) {
        List<Expiring> soon = within(List.of(cert), warningDays, now);
        if (soon.isEmpty()) {
            return "valid until " + date(cert.getNotAfter().toInstant());
        }
        Expiring e = soon.get(0);
        return e.expired() ? "EXPIRED on " + date(e.notAfter()) + ": renew it, nothing can be signed with it"
                : "expires soon, on " + date(e.notAfter()) + " (in " + daysLeft(now, e.notAfter())
                        + " days): renew it before then";
    }

    public static String date(Instant instant) {
        return DATE.format(instant);
    }

    /** Whole days left, a started day counted: 9 days and 23 hours is "10 days". */
    static long daysLeft(Instant now, Instant notAfter) {
        return (Duration.between(now, notAfter).toMinutes() + 24 * 60 - 1) / (24 * 60);
    }

    private static boolean issuesAnother(X509Certificate cert, List<X509Certificate> chain) {
        for (X509Certificate other : chain) {
            if (other != cert && other.getIssuerX500Principal().equals(cert.getSubjectX500Principal())
                    && !other.getSubjectX500Principal().equals(other.getIssuerX500Principal())) {
                return true;
            }
        }
        return false;
    }
}
