package io.jenkins.plugins.hsmsigning.engine.publication;

import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChecks;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether customers can build a path from the signer's certificate to the roots they trust, using only the
 * certificates every new signature embeds (the key's chain: the leaf, then its issuers as far as known). The engine
 * asks before it signs with trust anchors configured (a profile's, the CLI's {@code --trust}): a signature whose
 * chain stops short of the anchors, or leads to another root, would be published and then fail at every customer.
 * Each link is checked by issuer name and by the issuer's key verifying the certificate's signature.
 */
public final class SignerPath {

    private SignerPath() {
    }

    /**
     * Null when {@code chain} leads to one of {@code anchors} (or the leaf is an anchor itself), else a phrase naming
     * the certificate that is missing, or the root the chain leads to instead, fit to follow "because".
     */
    public static String problem(List<X509Certificate> chain, List<X509Certificate> anchors) {
        X509Certificate last = chain.get(0);
        for (X509Certificate certificate : chain) {
            if (isAnchor(certificate, anchors)) {
                return null;
            }
            last = certificate;
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signs(anchor, last)) {
                return null;
            }
        }
        if (selfIssued(last)) {
            return "its certificate chain leads to the root " + CertificateChecks.subject(last) + ", which is not "
                    + "among the trust anchors (" + names(anchors) + ")";
        }
        return "its certificate chain is incomplete: the issuer certificate " + last.getIssuerX500Principal().getName()
                + " of " + CertificateChecks.subject(last) + " is missing from the chain, and it is not a trust anchor "
                + "(" + names(anchors) + "); add it to the certificate chain";
    }

    /** The certificates of a chain file that are not on the signer's path, each named, for a warning. */
    public static List<String> unused(List<X509Certificate> chain, List<X509Certificate> chainFile) {
        List<String> unused = new ArrayList<>();
        for (X509Certificate certificate : chainFile) {
            if (!chain.contains(certificate)) {
                unused.add(CertificateChecks.subject(certificate));
            }
        }
        return unused;
    }

    private static boolean isAnchor(X509Certificate certificate, List<X509Certificate> anchors) {
        for (X509Certificate anchor : anchors) {
            boolean sameKeyAndName = anchor.getSubjectX500Principal().equals(certificate.getSubjectX500Principal())
                    && anchor.getPublicKey().equals(certificate.getPublicKey());
            if (anchor.equals(certificate) || sameKeyAndName) {
                return true;
            }
        }
        return false;
    }

    private static boolean selfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static boolean signs(X509Certificate issuer, X509Certificate certificate) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String names(List<X509Certificate> anchors) {
        List<String> names = new ArrayList<>();
        anchors.forEach(a -> names.add(CertificateChecks.subject(a)));
        return String.join("; ", names);
    }
}
