package io.jenkins.plugins.hsmsigning.engine.report;

import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Who signed: enough of the certificate to recognise it, and its SHA-256 fingerprint to pin it. */
public record SignerDetails(String subject, String issuer, String serialNumber, String sha256Fingerprint) {

    public static SignerDetails of(X509Certificate certificate) {
        String fingerprint;
        try {
            fingerprint = HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            fingerprint = null;
        }
        return new SignerDetails(certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(), certificate.getSerialNumber().toString(16).toUpperCase(),
                fingerprint);
    }
}
