package io.jenkins.plugins.hsmsigning.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import hudson.ExtensionList;
import io.jenkins.plugins.hsmsigning.engine.expiry.CertificateExpiry;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

public class ExpiringCertificatesMonitorTest {

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void aCertificateExpiringInTenDaysIsFlaggedAndOneInNinetyIsNot() throws Exception {
        KeyPair pair = TestPki.generateRsa(2048);
        X509Certificate soon = certificateExpiringIn(pair, Duration.ofDays(10), "Expires in ten days");
        X509Certificate later = certificateExpiringIn(pair, Duration.ofDays(90), "Expires in ninety days");
        HsmSigningConfiguration.get().setProfiles(List.of(profile("soon", soon), profile("later", later)));
        ExpiringCertificatesMonitor monitor = ExtensionList.lookupSingleton(ExpiringCertificatesMonitor.class);

        assertTrue(monitor.isActivated());
        List<ExpiringCertificatesMonitor.ExpiringCertificate> flagged = monitor.getExpiringCertificates();
        assertEquals(1, flagged.size());
        assertEquals("soon", flagged.get(0).profile());
        assertThat(flagged.get(0).description(), containsString("CN=Expires in ten days"));
        assertThat(flagged.get(0).description(), containsString(CertificateExpiry.date(
                soon.getNotAfter().toInstant())));

        String manage = j.createWebClient().goTo("manage").getWebResponse().getContentAsString();
        assertThat(manage, containsString("CN=Expires in ten days"));
        assertThat(manage, not(containsString("Expires in ninety days")));

        HsmSigningConfiguration.get().setExpiryWarningDays(100);
        assertEquals(2, monitor.getExpiringCertificates().size());
        HsmSigningConfiguration.get().setProfiles(List.of(profile("later", later)));
        HsmSigningConfiguration.get().setExpiryWarningDays(30);
        assertFalse(monitor.isActivated());
    }

    private static SigningProfile profile(String id, X509Certificate certificate) {
        SigningProfile profile = new SigningProfile(id);
        profile.setCertificateChain(TestPki.toPem(certificate, TestPki.shared().caCertificate()));
        return profile;
    }

    private static X509Certificate certificateExpiringIn(KeyPair pair, Duration d, String cn) {
        Instant now = Instant.now();
        return TestPki.shared().issueCodeSigning(pair.getPublic(), cn, Date.from(now.minus(Duration.ofDays(300))),
                Date.from(now.plus(d)));
    }
}
