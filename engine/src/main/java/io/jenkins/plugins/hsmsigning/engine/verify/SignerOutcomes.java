package io.jenkins.plugins.hsmsigning.engine.verify;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The verdict on a signature file that carries several signatures (OpenPGP, CMS): it verifies when at least one
 * signature by a trusted key verifies and none is cryptographically bad. A signature by an unknown key, or one
 * refused by policy (revoked or expired key, weak algorithm), does not sink the others; it is listed, and warned
 * about when another signature carried the verdict.
 */
public final class SignerOutcomes {

    /** Evidence of forgery, tampering or damage: any one of these fails the whole file. */
    private static final Set<Failure> CRYPTOGRAPHICALLY_BAD = EnumSet.of(Failure.CONTENT_MODIFIED,
            Failure.SIGNATURE_INVALID, Failure.MALFORMED);

    private SignerOutcomes() {
    }

    /**
     * One outcome for the file: the first bad signature if any, else the first valid one, else the most telling
     * refusal (a known key's problem before an unknown key). Every signer's own outcome is kept in
     * {@link VerificationOutcome#signers()}.
     */
    public static VerificationOutcome combine(List<VerificationOutcome> perSigner) {
        if (perSigner.isEmpty()) {
            throw new IllegalArgumentException("a signature file has at least one signer");
        }
        VerificationOutcome bad = first(perSigner, o -> !o.valid() && CRYPTOGRAPHICALLY_BAD.contains(o.failure()));
        if (bad != null) {
            return bad.withSigners(perSigner);
        }
        VerificationOutcome good = first(perSigner, VerificationOutcome::valid);
        if (good != null) {
            List<String> warnings = new ArrayList<>();
            for (VerificationOutcome other : perSigner) {
                if (!other.valid()) {
                    warnings.add("another signature was not accepted (" + other.failure() + "): " + other.reason());
                }
            }
            return good.withWarnings(warnings).withSigners(perSigner);
        }
        VerificationOutcome known = first(perSigner, o -> o.failure() != Failure.UNTRUSTED);
        return (known != null ? known : perSigner.get(0)).withSigners(perSigner);
    }

    private static VerificationOutcome first(List<VerificationOutcome> outcomes,
            Predicate<VerificationOutcome> test) {
        return outcomes.stream().filter(test).findFirst().orElse(null);
    }
}
