package io.jenkins.plugins.hsmsigning.engine.expiry;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.Test;

public class CertificateExpiryTest {

    private static final KeyPair KEY = TestPki.generateRsa(2048);
    private final Instant now = Instant.now();

    @Test
    public void aSigningCertificateExpiringWithinTheWindowIsNamedWithItsDate() {
        X509Certificate leaf = leafExpiringIn(Duration.ofDays(10));
        List<CertificateExpiry.Expiring> soon = CertificateExpiry.within(List.of(leaf, ca()),
                CertificateExpiry.DEFAULT_WARNING_DAYS, now);
        assertEquals(1, soon.size());
        CertificateExpiry.Expiring e = soon.get(0);
        assertTrue(e.signer());
        assertFalse(e.expired());
        assertEquals(leaf.getNotAfter().toInstant(), e.notAfter());
        assertThat(e.describe(now), containsString("the signing certificate CN=Expiring soon"));
        assertThat(e.describe(now), containsString("expires on " + CertificateExpiry.date(e.notAfter())));
        assertThat(e.describe(now), containsString("(in 10 days)"));
    }

    @Test
    public void aCertificateExpiringAfterTheWindowIsNotFlagged() {
        assertTrue(CertificateExpiry.within(List.of(leafExpiringIn(Duration.ofDays(90)), ca()), 30, now).isEmpty());
        assertEquals(1, CertificateExpiry.within(List.of(leafExpiringIn(Duration.ofDays(90))), 100, now).size());
        assertThat(CertificateExpiry.validity(leafExpiringIn(Duration.ofDays(90)), 30, now),
                containsString("valid until "));
    }

    @Test
    public void anExpiredCertificateSaysItExpired() {
        X509Certificate leaf = leafExpiringIn(Duration.ofDays(-3));
        CertificateExpiry.Expiring e = CertificateExpiry.within(List.of(leaf), 30, now).get(0);
        assertTrue(e.expired());
        assertThat(e.describe(now), containsString("expired on " + CertificateExpiry.date(e.notAfter())));
        assertThat(CertificateExpiry.validity(leaf, 30, now), containsString("EXPIRED on"));
        assertThat(CertificateExpiry.validity(leafExpiringIn(Duration.ofDays(10)), 30, now),
                containsString("expires soon"));
    }

    @Test
    public void issuersAreToldApartFromTheSigningCertificateAndListedEarliestFirst() {
        X509Certificate leaf = leafExpiringIn(Duration.ofDays(10));
        List<CertificateExpiry.Expiring> all = CertificateExpiry.within(List.of(ca(), leaf), 365 * 200, now);
        assertEquals(2, all.size());
        assertTrue(all.get(0).signer());
        assertFalse(all.get(1).signer());
        assertThat(all.get(1).describe(now), containsString("the issuer certificate "
                + ca().getSubjectX500Principal().getName()));
    }

    private static X509Certificate ca() {
        return TestPki.shared().caCertificate();
    }

    private X509Certificate leafExpiringIn(Duration d) {
        return TestPki.shared().issueCodeSigning(KEY.getPublic(), "Expiring soon",
                Date.from(now.minus(Duration.ofDays(30))), Date.from(now.plus(d)));
    }
}
