package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationChecker;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationSettings;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What X.509 verification uses besides the trust anchors.
 *
 * @param certificates    certificates that help build paths (intermediates, or a signer certificate a signature does
 *                        not carry); never trusted by themselves
 * @param tsaTrustAnchors the roots time-stamp authorities must chain to; empty means the signers' trust anchors
 * @param revocation      how revocation is checked
 */
public record X509Options(List<X509Certificate> certificates, List<X509Certificate> tsaTrustAnchors,
        RevocationChecker revocation) {

    public X509Options {
        certificates = List.copyOf(certificates);
        tsaTrustAnchors = List.copyOf(tsaTrustAnchors);
    }

    /** No extra certificates, timestamps trusted like signers, revocation checked softly against no source. */
    public static X509Options defaults() {
        return new X509Options(List.of(), List.of(), new RevocationChecker(RevocationSettings.defaults()));
    }

    /** For inspection, which judges no trust: nothing is looked up. */
    public static X509Options none() {
        return new X509Options(List.of(), List.of(), RevocationChecker.off());
    }
}
