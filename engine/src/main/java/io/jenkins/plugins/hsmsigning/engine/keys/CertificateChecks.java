package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;

/** The checks every key passes before it signs anything: its certificate is current, fit for code signing, and its own. */
public final class CertificateChecks {

    /** OID of the extended key usage codeSigning. */
    public static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    /** OID of the extended key usage timeStamping. */
    public static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;

    private CertificateChecks() {
    }

    static void checkUsable(SigningKey key, String what) throws SigningException {
        X509Certificate leaf = key.certificate();
        checkValidity(leaf, new Date(), what);
        String usageProblem = usageProblem(leaf, CODE_SIGNING);
        if (usageProblem != null) {
            throw new SigningException(Kind.KEY, "The certificate " + subject(leaf) + " of " + what
                    + " is not valid for code signing: " + usageProblem + ".");
        }
        checkKeyMatches(key);
    }

    static void checkValidity(X509Certificate leaf, Date at, String what) throws SigningException {
        try {
            leaf.checkValidity(at);
        } catch (CertificateExpiredException e) {
            throw new SigningException(Kind.KEY, "The certificate " + subject(leaf) + " of " + what + " expired on "
                    + format(leaf.getNotAfter()) + ": renew it before signing.");
        } catch (CertificateNotYetValidException e) {
            throw new SigningException(Kind.KEY, "The certificate " + subject(leaf) + " of " + what
                    + " is not valid before " + format(leaf.getNotBefore()) + ".");
        }
    }

    /**
     * Why {@code cert} may not be used for {@code extendedKeyUsage}, or null when it may. A certificate without an
     * extended key usage extension is allowed any use, as RFC 5280 says.
     */
    public static String usageProblem(X509Certificate cert, String extendedKeyUsage) {
        boolean[] keyUsage = cert.getKeyUsage();
        if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
            return "its key usage does not include digitalSignature";
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null && !eku.contains(extendedKeyUsage) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
                return "its extended key usage allows only " + String.join(", ", eku.stream().map(CertificateChecks::ekuName).toList());
            }
        } catch (CertificateParsingException e) {
            return "its extended key usage extension cannot be read";
        }
        return null;
    }

    /** One signature on a fixed challenge: {@link SigningKey} refuses it when the certificate is not the key's. */
    private static void checkKeyMatches(SigningKey key) throws SigningException {
        byte[] challenge = ("hsm-signing key check " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        key.sign(key.algorithm(DigestAlgorithm.SHA256, false), challenge);
    }

    public static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    private static String ekuName(String oid) {
        switch (oid) {
            case "1.3.6.1.5.5.7.3.1": return "serverAuth";
            case "1.3.6.1.5.5.7.3.2": return "clientAuth";
            case CODE_SIGNING: return "codeSigning";
            case "1.3.6.1.5.5.7.3.4": return "emailProtection";
            case TIME_STAMPING: return "timeStamping";
            case "1.3.6.1.5.5.7.3.9": return "OCSPSigning";
            default: return oid;
        }
    }

    private static String format(Date date) {
        return DateTimeFormatter.ISO_INSTANT.format(date.toInstant());
    }
}
