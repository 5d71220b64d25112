package io.jenkins.plugins.hsmsigning.engine.verify;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.util.Store;

/** The certificates a signature or timestamp carries, for finding its signer and building chains. */
public final class CarriedCertificates {

    private CarriedCertificates() {
    }

    /** Every readable certificate of {@code store}; an unreadable one can be neither a signer nor a chain link. */
    @SuppressWarnings("unchecked")
    public static List<X509Certificate> of(Store<X509CertificateHolder> store) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : (Collection<X509CertificateHolder>) store.getMatches(null)) {
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (Exception e) {
                // skipped, see above
            }
        }
        return certificates;
    }
}
