package io.jenkins.plugins.hsmsigning.engine.report;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One certificate of a signer's chain, as a report shows it: who it names, who issued it, and when it stops being
 * valid, which is what someone reading a signature usually needs to know about its issuers.
 */
public record CertificateDetails(String subject, String issuer, String serialNumber, String sha256Fingerprint,
        Instant notBefore, Instant notAfter) {

    public static CertificateDetails of(X509Certificate certificate) {
        SignerDetails names = SignerDetails.of(certificate);
        return new CertificateDetails(names.subject(), names.issuer(), names.serialNumber(),
                names.sha256Fingerprint(), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    /** The signer first, then each issuer. */
    public static List<CertificateDetails> of(List<X509Certificate> chain) {
        return chain.stream().map(CertificateDetails::of).toList();
    }
}
