package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.revocation.Crls;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationChecker;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationMode;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationSettings;
import io.jenkins.plugins.hsmsigning.engine.verify.SystemTrust;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.X509Options;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * What signatures are verified against, as text that can travel to another machine and holds nothing secret: trust
 * anchors (PEM) for X.509 signatures, signer certificates (PEM) whose keys are also accepted as OpenPGP keys (the
 * engine signs {@code .asc} files with the certificate's key), armored OpenPGP public keys, and the further X.509
 * settings.
 *
 * @param trustAnchorsPem     root certificates that CMS, Authenticode and JAR signatures must chain to
 * @param pgpCertificatesPem  certificates whose keys verify {@code .asc} signatures (see {@link PgpKeys#publicKey})
 * @param pgpKeysArmored      further OpenPGP public keys, armored
 * @param certificatesPem     certificates that help build paths (intermediates, signer certificates a signature
 *                            omits); never trusted by themselves
 * @param systemTrust         whether the Java runtime's CA certificates are trust anchors too
 * @param tsaTrustAnchorsPem  roots that time-stamp authorities must chain to; blank means the trust anchors
 * @param revocation          {@code off}, {@code soft} (blank) or {@code strict}
 * @param crlsPem             CRLs (PEM) to check revocation against
 * @param revocationOnline    whether the OCSP responders and CRL distribution points certificates name may be asked
 */
public record TrustSettings(String trustAnchorsPem, String pgpCertificatesPem, String pgpKeysArmored,
        String certificatesPem, boolean systemTrust, String tsaTrustAnchorsPem, String revocation, String crlsPem,
        boolean revocationOnline) {

    /** Trust anchors and OpenPGP keys only; the X.509 settings at their defaults. */
    public TrustSettings(String trustAnchorsPem, String pgpCertificatesPem, String pgpKeysArmored) {
        this(trustAnchorsPem, pgpCertificatesPem, pgpKeysArmored, null, false, null, null, null, false);
    }

    /** The same settings with other X.509 settings (see the record's parameters). */
    public TrustSettings withX509(String certificates, boolean system, String tsaTrustAnchors, String revocationMode,
            String crls, boolean online) {
        return new TrustSettings(trustAnchorsPem, pgpCertificatesPem, pgpKeysArmored, certificates, system,
                tsaTrustAnchors, revocationMode, crls, online);
    }

    /** The engine's options; a CONFIGURATION error naming the setting if a part cannot be read or all are empty. */
    public VerificationOptions options() throws SigningException {
        List<X509Certificate> anchors = new ArrayList<>(ProfileSettings.certificates(trustAnchorsPem,
                "trust anchors"));
        if (systemTrust) {
            anchors.addAll(SystemTrust.anchors());
        }
        List<X509Certificate> signers = ProfileSettings.certificates(pgpCertificatesPem, "signer certificates");
        for (X509Certificate certificate : signers) {
            PgpKeys.publicKey(certificate); // refuses now a certificate whose key OpenPGP cannot use
        }
        List<PGPPublicKey> pgpKeys = new ArrayList<>();
        if (pgpKeysArmored != null && !pgpKeysArmored.isBlank()) {
            try {
                pgpKeys.addAll(PgpKeys.read(pgpKeysArmored.getBytes(StandardCharsets.US_ASCII), "OpenPGP public keys"));
            } catch (SigningException e) {
                throw new SigningException(Kind.CONFIGURATION, e.getMessage(), e);
            }
        }
        if (anchors.isEmpty() && signers.isEmpty() && pgpKeys.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, "There is nothing to verify signatures against: set the"
                    + " trust anchors of the signing profile, or give trust anchors or OpenPGP keys to the step.");
        }
        return VerificationOptions.trusting(anchors).withPgpKeys(pgpKeys).withPgpCertificates(signers)
                .withX509(x509Options());
    }

    private X509Options x509Options() throws SigningException {
        RevocationSettings revocationSettings = RevocationSettings.of(RevocationMode.parse(revocation,
                "revocation checking"), Crls.readPem(crlsPem, "CRLs"), revocationOnline);
        return new X509Options(ProfileSettings.certificates(certificatesPem, "certificates"),
                ProfileSettings.certificates(tsaTrustAnchorsPem, "time-stamp authority trust anchors"),
                new RevocationChecker(revocationSettings));
    }

    /**
     * The end-entity certificates of a bundle such as a profile's certificate chain: the signers whose OpenPGP keys
     * can be derived without touching the token. CA certificates are left out.
     */
    public static List<X509Certificate> endEntityCertificates(List<X509Certificate> bundle) {
        return bundle.stream().filter(c -> c.getBasicConstraints() < 0).toList();
    }

    /** Concatenated PEM of certificates; empty for none. */
    public static String pem(List<X509Certificate> certificates) throws SigningException {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] {'\n'});
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new SigningException(Kind.CONFIGURATION, "The certificate "
                        + certificate.getSubjectX500Principal().getName() + " cannot be encoded.", e);
            }
        }
        return pem.toString();
    }
}
