package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChecks;
import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a signer's certificate is trusted at a given time: valid then, fit for the purpose, and chained to
 * one of the trust anchors through the certificates the signature carries. Revocation is not checked (no network).
 * When inspecting, validity and usage are still checked but the chain is not judged.
 */
public final class TrustValidator {

    /** Longest chain a report shows, as the path building allows. */
    private static final int MAX_CHAIN = 8;

    private final List<X509Certificate> trustAnchors;
    private final boolean judgeTrust;

    public TrustValidator(VerificationOptions options) {
        this.trustAnchors = options.trustAnchors();
        this.judgeTrust = options.judgeTrust();
    }

    /** Null when trusted, otherwise why not. */
    public VerificationOutcome check(X509Certificate signer, Collection<X509Certificate> intermediates, Instant at,
            String extendedKeyUsage, boolean atTimestamp) {
        String when = atTimestamp ? " at the timestamp " + format(at) : " now (" + format(at) + ", no timestamp)";
        if (at.isAfter(signer.getNotAfter().toInstant())) {
            return VerificationOutcome.failed(Failure.CERTIFICATE_EXPIRED, "the certificate "
                    + CertificateChecks.subject(signer) + " expired on " + format(signer.getNotAfter().toInstant())
                    + " and is not valid" + when);
        }
        if (at.isBefore(signer.getNotBefore().toInstant())) {
            return VerificationOutcome.failed(Failure.CERTIFICATE_EXPIRED, "the certificate "
                    + CertificateChecks.subject(signer) + " was not yet valid" + when);
        }
        String usage = CertificateChecks.usageProblem(signer, extendedKeyUsage);
        if (usage != null) {
            return VerificationOutcome.failed(Failure.NOT_FOR_CODE_SIGNING, "the certificate "
                    + CertificateChecks.subject(signer) + " may not be used for this: " + usage);
        }
        if (!judgeTrust) {
            return null;
        }
        if (trustAnchors.isEmpty()) {
            return VerificationOutcome.failed(Failure.UNTRUSTED, "no trust anchors are configured, so the signer "
                    + CertificateChecks.subject(signer) + " cannot be trusted");
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate anchor : trustAnchors) {
                anchors.add(new TrustAnchor(anchor, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.setMaxPathLength(8);
            List<X509Certificate> pool = new ArrayList<>(intermediates);
            pool.add(signer);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            CertPathBuilder.getInstance("PKIX").build(params);
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return VerificationOutcome.failed(Failure.UNTRUSTED, "the certificate " + CertificateChecks.subject(signer)
                    + " (issued by " + signer.getIssuerX500Principal().getName()
                    + ") does not chain to a trust anchor" + when);
        }
    }

    /**
     * How every code signature's verification ends once its value and timestamp checked out: the signer judged at the
     * timestamp's time, or now with a warning that the signature stops verifying when the certificate expires.
     */
    public VerificationOutcome conclude(X509Certificate signer, Collection<X509Certificate> intermediates,
            TimestampDetails timestamp, Instant now, SignerDetails who, String digest, String algorithm) {
        List<String> warnings = new ArrayList<>();
        if (timestamp == null) {
            warnings.add("not timestamped: the signature stops verifying when the certificate expires on "
                    + signer.getNotAfter().toInstant());
        }
        Instant at = timestamp != null ? timestamp.time() : now;
        VerificationOutcome untrusted = check(signer, intermediates, at, CertificateChecks.CODE_SIGNING,
                timestamp != null);
        List<CertificateDetails> chain = CertificateDetails.of(chainOf(signer, intermediates));
        if (untrusted != null) {
            return VerificationOutcome.failed(untrusted.failure(), untrusted.reason(), who, digest, algorithm,
                    timestamp).withChain(chain);
        }
        return VerificationOutcome.valid(who, digest, algorithm, timestamp, warnings).withChain(chain);
    }

    /**
     * The signer, then each issuer found among the certificates the signature carries and the trust anchors, up to
     * a self-signed one or the first issuer that is missing: the chain as a reader of the signature sees it, whether
     * or not it is trusted.
     */
    List<X509Certificate> chainOf(X509Certificate signer, Collection<X509Certificate> intermediates) {
        List<X509Certificate> known = new ArrayList<>(intermediates);
        known.addAll(trustAnchors);
        List<X509Certificate> chain = new ArrayList<>(List.of(signer));
        X509Certificate current = signer;
        while (chain.size() <= MAX_CHAIN
                && !current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
            X509Certificate issuer = issuerOf(current, known, chain);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    /** By name; only when several certificates bear the issuer's name does a signature check pick one. */
    private static X509Certificate issuerOf(X509Certificate certificate, List<X509Certificate> known,
            List<X509Certificate> seen) {
        List<X509Certificate> named = known.stream()
                .filter(c -> c.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()))
                .filter(c -> !seen.contains(c)).toList();
        if (named.size() <= 1) {
            return named.isEmpty() ? null : named.get(0);
        }
        for (X509Certificate candidate : named) {
            try {
                certificate.verify(candidate.getPublicKey());
                return candidate;
            } catch (Exception e) {
                // same name, another key: not this certificate's issuer
            }
        }
        return null;
    }

    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
