package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The Java runtime's CA certificates: the trust store the runtime uses for TLS ({@code lib/security/cacerts}, or the
 * one {@code javax.net.ssl.trustStore} names), so that JARs and files signed by commercial code-signing CAs verify
 * without exporting their roots.
 */
public final class SystemTrust {

    private SystemTrust() {
    }

    public static List<X509Certificate> anchors() throws SigningException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return List.of(x509.getAcceptedIssuers());
                }
            }
        } catch (Exception e) {
            throw new SigningException(Kind.CONFIGURATION, "The Java runtime's CA certificates cannot be read: "
                    + e.getMessage(), e);
        }
        throw new SigningException(Kind.CONFIGURATION, "The Java runtime has no X.509 trust store.");
    }
}
