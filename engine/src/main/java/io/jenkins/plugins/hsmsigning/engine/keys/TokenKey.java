package io.jenkins.plugins.hsmsigning.engine.keys;

import java.security.cert.X509Certificate;

/** A key an admin can choose on a token: its alias and the certificate stored with it. */
public record TokenKey(String alias, X509Certificate certificate) {

    /** {@code alias: CN=…, valid until …}, for a "test connection" answer. */
    public String describe() {
        return alias + ": " + certificate.getSubjectX500Principal().getName() + ", valid until "
                + certificate.getNotAfter().toInstant();
    }
}
