package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.expiry.CertificateExpiry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A key an admin can choose on a token: its alias and the certificate stored with it. */
public record TokenKey(String alias, X509Certificate certificate) {

    /** {@code alias: CN=…, valid until …}, for a "test connection" answer. */
    public String describe() {
        return describe(CertificateExpiry.DEFAULT_WARNING_DAYS, Instant.now());
    }

    /** As {@link #describe()}, saying when the certificate expires within {@code warningDays} or has expired. */
    public String describe(int warningDays, Instant now) {
        return alias + ": " + certificate.getSubjectX500Principal().getName() + ", "
                + CertificateExpiry.validity(certificate, warningDays, now);
    }

    /** Whether the certificate expires within {@code warningDays} or has expired. */
    public boolean expiresWithin(int warningDays, Instant now) {
        return !CertificateExpiry.within(List.of(certificate), warningDays, now).isEmpty();
    }
}
