package io.jenkins.plugins.hsmsigning.engine.net;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the engine's HTTP clients when an admin trusts a private CA (a key service's, a time-stamp authority's):
 * the Java runtime's CA certificates plus those, never instead of them and never "trust all".
 */
public final class TlsTrust {

    private TlsTrust() {
    }

    /** A context that trusts Java's CAs and {@code extraTrust}, and presents {@code clientKeys} (or none). */
    public static SSLContext context(KeyManager[] clientKeys, List<X509Certificate> extraTrust) {
        try {
            TrustManager[] trust = null;
            if (!extraTrust.isEmpty()) {
                KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                anchors.load(null, null);
                TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                system.init((KeyStore) null);
                for (TrustManager manager : system.getTrustManagers()) {
                    if (manager instanceof X509TrustManager x509) {
                        for (X509Certificate ca : x509.getAcceptedIssuers()) {
                            anchors.setCertificateEntry("system-" + anchors.size(), ca);
                        }
                    }
                }
                for (X509Certificate certificate : extraTrust) {
                    anchors.setCertificateEntry("extra-" + anchors.size(), certificate);
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(anchors);
                trust = factory.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(clientKeys, trust, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot set up TLS with the trusted certificates given", e);
        }
    }
}
