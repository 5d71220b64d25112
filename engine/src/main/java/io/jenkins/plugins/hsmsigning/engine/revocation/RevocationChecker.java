package io.jenkins.plugins.hsmsigning.engine.revocation;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that no certificate of a trusted chain was revoked before a signature was made. The sources are asked in
 * order: the CRLs given, then, only when the settings allow going online, the OCSP responders and CRL distribution
 * points the certificates name. Only chains that already lead to a trust anchor get here, so an online lookup only
 * ever goes to a URL that a trusted CA wrote into a certificate. One checker serves a whole verification run and
 * remembers what it fetched.
 */
public final class RevocationChecker {

    private final RevocationSettings settings;
    private final BoundedHttp http;
    private final Map<String, RevocationStatus> ocspAnswers = new ConcurrentHashMap<>();
    private final Map<String, Fetched> fetchedCrls = new ConcurrentHashMap<>();

    public RevocationChecker(RevocationSettings settings) {
        this.settings = settings;
        this.http = new BoundedHttp(settings.timeout());
    }

    public static RevocationChecker off() {
        return new RevocationChecker(RevocationSettings.off());
    }

    public RevocationSettings settings() {
        return settings;
    }

    /**
     * The verdict on a chain.
     *
     * @param failure null unless the chain must not be trusted
     * @param warnings what a soft check could not learn, and revocations after the signature was made
     */
    public record Verdict(Failure failure, String reason, List<String> warnings) {

        public Verdict {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param path        the certificates from the end entity up, each issued by the next, without the anchor
     * @param anchor      the trust anchor that issued the last one
     * @param at          when the signature was made at the latest: the timestamp's time, or now
     * @param when        how to say {@code at} in messages, such as "the timestamp 2026-…" or "now"
     * @param now         the verification's clock
     */
    public Verdict check(List<X509Certificate> path, X509Certificate anchor, Instant at, String when, Instant now) {
        List<String> warnings = new ArrayList<>();
        if (settings.mode() == RevocationMode.OFF) {
            return new Verdict(null, null, warnings);
        }
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
            RevocationStatus status = status(certificate, issuer, at, now);
            String subject = certificate.getSubjectX500Principal().getName();
            switch (status.state()) {
                case REVOKED -> {
                    String revoked = "the certificate " + subject + " was revoked on " + CrlCheck.format(
                            status.revokedAt()) + (status.detail() == null ? "" : " (" + status.detail() + ")")
                            + " according to " + status.source();
                    if (!status.revokedAt().isAfter(at)) {
                        return new Verdict(Failure.CERTIFICATE_REVOKED, revoked + ", before " + when, warnings);
                    }
                    warnings.add(revoked + ", after " + when + ", so what it signed before stays valid");
                }
                case UNKNOWN -> {
                    String unknown = "the revocation status of " + subject + " is unknown: " + status.detail();
                    if (settings.mode() == RevocationMode.STRICT) {
                        return new Verdict(Failure.REVOCATION_UNKNOWN, unknown + " (revocation checking is strict)",
                                warnings);
                    }
                    warnings.add("revocation not checked: " + unknown);
                }
                case GOOD -> {
                    // nothing to say
                }
            }
        }
        return new Verdict(null, null, warnings);
    }

    private RevocationStatus status(X509Certificate certificate, X509Certificate issuer, Instant at, Instant now) {
        RevocationStatus offline = CrlCheck.status(certificate, issuer, settings.crls(), at, now);
        if (offline.known() || !settings.online()) {
            return offline.known() ? offline : RevocationStatus.unknown(offline.detail()
                    + (settings.online() ? "" : ", and online checking is off"));
        }
        List<String> problems = new ArrayList<>(List.of(offline.detail()));
        for (String url : OnlineSources.ocspUrls(certificate)) {
            RevocationStatus answer = ocspAnswers.computeIfAbsent(url + " " + certificate.getSerialNumber() + " "
                    + issuer.getSubjectX500Principal().getName(), k -> OcspCheck.status(certificate, issuer, url,
                    http, now));
            if (answer.known()) {
                return answer;
            }
            problems.add(answer.detail());
        }
        for (String url : OnlineSources.crlUrls(certificate)) {
            Fetched fetched = fetchedCrls.computeIfAbsent(url, this::fetchCrl);
            if (fetched.crls().isEmpty()) {
                problems.add(fetched.problem());
                continue;
            }
            RevocationStatus answer = CrlCheck.status(certificate, issuer, fetched.crls(), at, now);
            if (answer.known()) {
                return answer;
            }
            problems.add(answer.detail() + " (from " + url + ")");
        }
        if (problems.size() == 1) {
            problems.add("the certificate names no OCSP responder or CRL distribution point this checker can reach");
        }
        return RevocationStatus.unknown(String.join("; ", problems));
    }

    private Fetched fetchCrl(String url) {
        try {
            return new Fetched(Crls.read(http.get(url, Crls.MAX_CRL_BYTES), "answer of " + url), null);
        } catch (Exception e) {
            return new Fetched(List.of(), "the CRL distribution point " + url + " gave no CRL: " + e.getMessage());
        }
    }

    /** The CRLs a distribution point gave, or why it gave none. */
    private record Fetched(List<X509CRL> crls, String problem) {
    }
}
