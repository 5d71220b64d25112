package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChecks;
import io.jenkins.plugins.hsmsigning.engine.report.CertificateDetails;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationChecker;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
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
 * Decides whether a signer's certificate is trusted at a given time: valid then, fit for the purpose, chained to one
 * of the trust anchors through the certificates the signature carries and those given to help build paths, and not
 * revoked before then (as far as the revocation settings look). When inspecting, validity and usage are still checked
 * but the chain is not judged.
 *
 * <p>One validator serves the signatures of one file in turn. What a check learns that does not fail it (a revocation
 * status that could not be learnt, a countersignature that is no timestamp) waits in the validator until
 * {@link #conclude} adds it to the verdict on the signature being verified.
 */
public final class TrustValidator {

    /** Longest chain a report shows, as the path building allows. */
    private static final int MAX_CHAIN = 8;
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";

    private final List<X509Certificate> trustAnchors;
    private final boolean judgeTrust;
    private final X509Options x509;
    private final Instant now;
    private final List<String> pendingWarnings = new ArrayList<>();

    public TrustValidator(VerificationOptions options) {
        this.trustAnchors = options.trustAnchors();
        this.judgeTrust = options.judgeTrust();
        this.x509 = options.x509();
        this.now = options.clock().instant();
    }

    /** Null when trusted, otherwise why not. */
    public VerificationOutcome check(X509Certificate signer, Collection<X509Certificate> intermediates, Instant at,
            String extendedKeyUsage, boolean atTimestamp) {
        return check(signer, intermediates, at, extendedKeyUsage, atTimestamp, trustAnchors);
    }

    /**
     * Null when {@code authority} may vouch for the time {@code time}: a time-stamping certificate (see
     * {@link #timeStampingProblem}) that is not the signer's, trusted at that time, chained to the time-stamp
     * authority anchors if some are set, else to the trust anchors.
     */
    public VerificationOutcome checkTimestampAuthority(X509Certificate authority, X509Certificate signer,
            Collection<X509Certificate> carried, Instant time) {
        String problem = timeStampingProblem(authority, signer);
        if (problem != null) {
            return VerificationOutcome.failed(Failure.TIMESTAMP_INVALID, problem);
        }
        List<X509Certificate> anchors = x509.tsaTrustAnchors().isEmpty() ? trustAnchors : x509.tsaTrustAnchors();
        return check(authority, carried, time, CertificateChecks.TIME_STAMPING, true, anchors);
    }

    /**
     * Why {@code authority} cannot have made a timestamp on {@code signer}'s signature, or null: its extended key
     * usage must be present, critical and exactly timeStamping (RFC 3161 section 2.3), and it must not be the
     * signer's certificate or key, or a signer could timestamp its own signature and outlive its certificate.
     */
    public static String timeStampingProblem(X509Certificate authority, X509Certificate signer) {
        String name = CertificateChecks.subject(authority);
        if (signer != null && (authority.equals(signer) || authority.getPublicKey().equals(signer.getPublicKey()))) {
            return "the timestamp is signed with the signer's own key (" + name + "), not by a time-stamp authority";
        }
        List<String> usage;
        try {
            usage = authority.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            usage = null;
        }
        Set<String> critical = authority.getCriticalExtensionOIDs();
        if (usage == null || !usage.equals(List.of(CertificateChecks.TIME_STAMPING)) || critical == null
                || !critical.contains(EXTENDED_KEY_USAGE)) {
            return "the certificate " + name + " that signed the timestamp is not a time-stamping certificate (its "
                    + "extended key usage must be exactly timeStamping, marked critical)";
        }
        return null;
    }

    /** The certificates given to help build paths, which may also hold a signer or authority a signature omits. */
    List<X509Certificate> givenCertificates() {
        return x509.certificates();
    }

    /** Something the verdict on the current signature must mention, such as a countersignature that is no timestamp. */
    public void warn(String warning) {
        pendingWarnings.add(warning);
    }

    private VerificationOutcome check(X509Certificate signer, Collection<X509Certificate> intermediates, Instant at,
            String extendedKeyUsage, boolean atTimestamp, List<X509Certificate> anchorsToUse) {
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
        if (anchorsToUse.isEmpty()) {
            return VerificationOutcome.failed(Failure.UNTRUSTED, "no trust anchors are configured, so the signer "
                    + CertificateChecks.subject(signer) + " cannot be trusted");
        }
        PKIXCertPathBuilderResult path;
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate anchor : anchorsToUse) {
                anchors.add(new TrustAnchor(anchor, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.setMaxPathLength(8);
            List<X509Certificate> pool = new ArrayList<>(intermediates);
            pool.addAll(x509.certificates());
            pool.add(signer);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            path = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
        } catch (GeneralSecurityException | RuntimeException e) {
            return VerificationOutcome.failed(Failure.UNTRUSTED, "the certificate " + CertificateChecks.subject(signer)
                    + " (issued by " + signer.getIssuerX500Principal().getName()
                    + ") does not chain to a trust anchor" + when);
        }
        @SuppressWarnings("unchecked")
        List<X509Certificate> certificates = (List<X509Certificate>) path.getCertPath().getCertificates();
        RevocationChecker.Verdict revocation = x509.revocation().check(certificates,
                path.getTrustAnchor().getTrustedCert(), at, atTimestamp ? "the timestamp " + format(at) : "now",
                now);
        if (revocation.failure() != null) {
            return VerificationOutcome.failed(revocation.failure(), revocation.reason());
        }
        pendingWarnings.addAll(revocation.warnings());
        return null;
    }

    /**
     * How every code signature's verification ends once its value and timestamp checked out: the signer judged at the
     * timestamp's time, or now with a warning that the signature stops verifying when the certificate expires.
     */
    public VerificationOutcome conclude(X509Certificate signer, Collection<X509Certificate> intermediates,
            TimestampDetails timestamp, Instant now, SignerDetails who, String digest, String algorithm) {
        List<String> warnings = new ArrayList<>();
        List<String> learnt = new ArrayList<>(pendingWarnings);
        pendingWarnings.clear();
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
        warnings.addAll(learnt);
        warnings.addAll(pendingWarnings);
        pendingWarnings.clear();
        return VerificationOutcome.valid(who, digest, algorithm, timestamp, warnings).withChain(chain);
    }

    /**
     * The signer, then each issuer found among the certificates the signature carries and the trust anchors, up to
     * a self-signed one or the first issuer that is missing: the chain as a reader of the signature sees it, whether
     * or not it is trusted.
     */
    List<X509Certificate> chainOf(X509Certificate signer, Collection<X509Certificate> intermediates) {
        List<X509Certificate> known = new ArrayList<>(intermediates);
        known.addAll(x509.certificates());
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
