package io.jenkins.plugins.hsmsigning.engine.verify;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * What a signature is checked against: trust anchors for X.509 signatures (CMS, Authenticode, JAR) and their
 * timestamps, with the further X.509 settings (path-building certificates, time-stamp authority anchors,
 * revocation), OpenPGP public keys or signer certificates for {@code .asc} files, and the clock ("now" for
 * signatures without a timestamp).
 */
public record VerificationOptions(List<X509Certificate> trustAnchors, List<PGPPublicKey> pgpKeys,
        List<X509Certificate> pgpCertificates, Clock clock, Path signatureDirectory, boolean judgeTrust,
        X509Options x509) {

    public VerificationOptions {
        trustAnchors = List.copyOf(trustAnchors);
        pgpKeys = List.copyOf(pgpKeys);
        pgpCertificates = List.copyOf(pgpCertificates);
    }

    /** Before the X.509 settings: the defaults of {@link X509Options#defaults()}, or none when not judging trust. */
    public VerificationOptions(List<X509Certificate> trustAnchors, List<PGPPublicKey> pgpKeys,
            List<X509Certificate> pgpCertificates, Clock clock, Path signatureDirectory, boolean judgeTrust) {
        this(trustAnchors, pgpKeys, pgpCertificates, clock, signatureDirectory, judgeTrust,
                judgeTrust ? X509Options.defaults() : X509Options.none());
    }

    public static VerificationOptions trusting(List<X509Certificate> trustAnchors) {
        return new VerificationOptions(trustAnchors, List.of(), List.of(), Clock.systemUTC(), null, true);
    }

    /** The same options with other path-building certificates, time-stamp authority anchors and revocation. */
    public VerificationOptions withX509(X509Options options) {
        return new VerificationOptions(trustAnchors, pgpKeys, pgpCertificates, clock, signatureDirectory, judgeTrust,
                options);
    }

    /**
     * For describing what signatures a file carries ({@code hsmsign inspect}): integrity, algorithms and timestamps
     * are checked and reported, but whether the signer or time-stamp authority is trusted is not judged.
     */
    public static VerificationOptions inspection() {
        return new VerificationOptions(List.of(), List.of(), List.of(), Clock.systemUTC(), null, false);
    }

    public VerificationOptions withPgpKeys(List<PGPPublicKey> keys) {
        return new VerificationOptions(trustAnchors, keys, pgpCertificates, clock, signatureDirectory, judgeTrust,
                x509);
    }

    /**
     * Signer certificates whose keys also made OpenPGP signatures (the engine signs {@code .asc} files with the
     * certificate's key): their OpenPGP keys are derived, and a signature by one reports the certificate as signer.
     */
    public VerificationOptions withPgpCertificates(List<X509Certificate> certificates) {
        return new VerificationOptions(trustAnchors, pgpKeys, certificates, clock, signatureDirectory, judgeTrust,
                x509);
    }

    public VerificationOptions withClock(Clock newClock) {
        return new VerificationOptions(trustAnchors, pgpKeys, pgpCertificates, newClock, signatureDirectory,
                judgeTrust, x509);
    }

    /** Where detached signatures are looked for; null means beside the artifact. */
    public VerificationOptions withSignatureDirectory(Path dir) {
        return new VerificationOptions(trustAnchors, pgpKeys, pgpCertificates, clock, dir, judgeTrust, x509);
    }
}
