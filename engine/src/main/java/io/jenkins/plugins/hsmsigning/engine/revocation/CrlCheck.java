package io.jenkins.plugins.hsmsigning.engine.revocation;

import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A certificate against CRLs of its issuer. Only a CRL whose signature verifies with the issuer's key counts. An entry
 * for the certificate proves a revocation whatever the CRL's age; its absence proves nothing was revoked up to the
 * time of interest only when the CRL is current, or was issued after that time. Delta and partitioned CRLs (those
 * with an issuing distribution point) count only as proof of a revocation.
 */
final class CrlCheck {

    private static final String DELTA_CRL_INDICATOR = "2.5.29.27";
    private static final String ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
    private static final int CRL_SIGN = 6;

    private CrlCheck() {
    }

    /**
     * @param at  the time the signature must have been made by (the timestamp's, or now)
     * @param now the verification's clock
     */
    static RevocationStatus status(X509Certificate certificate, X509Certificate issuer, Collection<X509CRL> crls,
            Instant at, Instant now) {
        List<String> problems = new ArrayList<>();
        String covering = null;
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            String source = describe(crl);
            if (!signedBy(crl, issuer)) {
                problems.add(source + " is not signed by the issuer's key");
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(certificate);
            if (entry != null && entry.getRevocationReason() != CRLReason.REMOVE_FROM_CRL) {
                return RevocationStatus.revoked(entry.getRevocationDate().toInstant(), reason(entry), source);
            }
            if (crl.getExtensionValue(DELTA_CRL_INDICATOR) != null
                    || crl.getExtensionValue(ISSUING_DISTRIBUTION_POINT) != null) {
                continue;
            }
            if (current(crl, now) || !crl.getThisUpdate().toInstant().isBefore(at)) {
                covering = source;
            } else {
                problems.add(source + " is out of date (next update " + format(crl.getNextUpdate().toInstant())
                        + ")");
            }
        }
        if (covering != null) {
            return RevocationStatus.good(covering);
        }
        return RevocationStatus.unknown(problems.isEmpty() ? "no CRL of " + certificate.getIssuerX500Principal()
                .getName() + " is available" : String.join("; ", problems));
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        boolean[] usage = issuer.getKeyUsage();
        if (usage != null && !usage[CRL_SIGN]) {
            return false;
        }
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean current(X509CRL crl, Instant now) {
        return !crl.getThisUpdate().toInstant().isAfter(now.plusSeconds(300))
                && (crl.getNextUpdate() == null || !crl.getNextUpdate().toInstant().isBefore(now));
    }

    private static String reason(X509CRLEntry entry) {
        CRLReason reason = entry.getRevocationReason();
        return reason == null || reason == CRLReason.UNSPECIFIED ? null : camel(reason.name());
    }

    /** {@code KEY_COMPROMISE} as RFC 5280 names it, {@code keyCompromise}. */
    static String camel(String constant) {
        StringBuilder name = new StringBuilder();
        for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
            name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return name.toString();
    }

    static String describe(X509CRL crl) {
        return "the CRL of " + crl.getIssuerX500Principal().getName() + " issued " + format(crl.getThisUpdate()
                .toInstant());
    }

    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
