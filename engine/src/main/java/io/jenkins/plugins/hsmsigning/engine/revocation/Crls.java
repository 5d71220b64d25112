package io.jenkins.plugins.hsmsigning.engine.revocation;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads and writes certificate revocation lists, PEM ({@code -----BEGIN X509 CRL-----}) or DER. */
public final class Crls {

    /** A CRL file larger than this is refused; also the limit for one fetched from a distribution point. */
    public static final int MAX_CRL_BYTES = 32 * 1024 * 1024;

    private Crls() {
    }

    /** Every CRL of {@code bytes}; {@code name} names the file or setting in messages. */
    public static List<X509CRL> read(byte[] bytes, String name) throws SigningException {
        List<X509CRL> crls = new ArrayList<>();
        try {
            for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes))) {
                crls.add((X509CRL) crl);
            }
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new SigningException(Kind.CONFIGURATION, "The " + name + " is not a certificate revocation list "
                    + "(PEM or DER).", e);
        }
        if (crls.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, "The " + name + " holds no certificate revocation list.");
        }
        return crls;
    }

    /** The CRLs of a file; {@code setting} says where it was given, such as {@code --crl}. */
    public static List<X509CRL> read(Path file, String setting) throws SigningException {
        try {
            if (Files.size(file) > MAX_CRL_BYTES) {
                throw new SigningException(Kind.CONFIGURATION, "The CRL file " + file + " given by " + setting
                        + " is larger than " + MAX_CRL_BYTES + " bytes.");
            }
            return read(Files.readAllBytes(file), "CRL file " + file + " given by " + setting);
        } catch (IOException e) {
            throw new SigningException(Kind.CONFIGURATION, "The CRL file " + file + " given by " + setting
                    + " cannot be read.", e);
        }
    }

    /** CRLs as PEM text, as text settings carry them; blank means none. */
    public static List<X509CRL> readPem(String pem, String setting) throws SigningException {
        return pem == null || pem.isBlank() ? List.of() : read(pem.getBytes(StandardCharsets.US_ASCII), setting);
    }

    public static String pem(List<X509CRL> crls) throws SigningException {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] {'\n'});
        StringBuilder pem = new StringBuilder();
        for (X509CRL crl : crls) {
            try {
                pem.append("-----BEGIN X509 CRL-----\n").append(encoder.encodeToString(crl.getEncoded()))
                        .append("\n-----END X509 CRL-----\n");
            } catch (CRLException e) {
                throw new SigningException(Kind.CONFIGURATION, "The CRL of " + crl.getIssuerX500Principal().getName()
                        + " cannot be encoded.", e);
            }
        }
        return pem.toString();
    }
}
