package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * The verdict on one OpenPGP document signature (binary or text) over content already hashed: policy first (hash,
 * key type and size, signature version), then the signature value with each trusted key that could have made it,
 * then whether that key was valid when the signature says it was made. An unknown key is reported, never guessed.
 */
final class PgpSignatureCheck {

    private final TrustedPgpKeys keys;
    private final String signatureName;

    PgpSignatureCheck(TrustedPgpKeys keys, String signatureName) {
        this.keys = keys;
        this.signatureName = signatureName;
    }

    /**
     * @param contentState the digest state over what the signature covers (binary bytes or canonical text),
     *                     for a digest the engine computed
     */
    VerificationOutcome verify(PGPSignature signature, Function<DigestAlgorithm, MessageDigest> contentState) {
        Instant signedAt = signature.getCreationTime().toInstant();
        int hash = signature.getHashAlgorithm();
        DigestAlgorithm digest = PgpAlgorithms.digest(hash);
        String digestName = PgpAlgorithms.hashName(hash);
        String keyId = String.format("%016X", signature.getKeyID());
        List<TrustedPgpKeys.Candidate> candidates = keys.candidates(signature);
        PGPPublicKey named = candidates.isEmpty() ? null : candidates.get(0).key();
        String algorithm = PgpAlgorithms.describe(named, signature.getKeyAlgorithm(), hash);
        String compact = compactName(signature.getKeyAlgorithm(), digest);
        SignerDetails who = candidates.isEmpty() ? new SignerDetails(null, null, keyId, null)
                : candidates.get(0).who();
        String kind = signature.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT ? "text " : "";
        if (signature.getVersion() != 3 && signature.getVersion() != 4) {
            return fail(Failure.UNSUPPORTED, "the OpenPGP " + kind + "signature by " + keyId + " is a version "
                    + signature.getVersion() + " signature, which this verifier cannot check yet", who, digestName,
                    compact, algorithm, signedAt);
        }
        if (PgpAlgorithms.kind(signature.getKeyAlgorithm()) == null) {
            return fail(Failure.UNSUPPORTED, "the OpenPGP signature by " + keyId + " uses "
                    + PgpAlgorithms.algorithmName(signature.getKeyAlgorithm()) + ", which this verifier does not "
                    + "check: only RSA, ECDSA and EdDSA (Ed25519, Ed448) are", who, digestName, compact, algorithm,
                    signedAt);
        }
        if (digest == null) {
            boolean weak = PgpAlgorithms.weakHash(hash);
            return fail(weak ? Failure.WEAK_ALGORITHM : Failure.UNSUPPORTED, "the OpenPGP signature by " + keyId
                    + " uses " + digestName + ", which " + (weak ? "is too weak to be accepted" : "this verifier "
                    + "does not support") + ": only SHA-256, SHA-384 and SHA-512 are", who, digestName, compact,
                    algorithm, signedAt);
        }
        if (candidates.isEmpty()) {
            return fail(Failure.UNTRUSTED, "the OpenPGP key " + keyId + " that made a signature in " + signatureName
                    + (keys.judgeTrust() ? " is not among the trusted OpenPGP keys"
                    : " is not known here, so that signature was not checked"), who, digestName, compact, algorithm,
                    signedAt);
        }
        VerificationOutcome last = null;
        for (TrustedPgpKeys.Candidate candidate : candidates) {
            last = verifyWith(candidate, signature, contentState.apply(digest), digest, signedAt);
            if (last.valid() || last.failure() != Failure.CONTENT_MODIFIED) {
                return last;
            }
        }
        return last;
    }

    private VerificationOutcome verifyWith(TrustedPgpKeys.Candidate candidate, PGPSignature signature,
            MessageDigest state, DigestAlgorithm digest, Instant signedAt) {
        PGPPublicKey key = candidate.key();
        SignerDetails who = candidate.who();
        String algorithm = PgpAlgorithms.describe(key, signature.getKeyAlgorithm(), signature.getHashAlgorithm());
        String compact = compactName(signature.getKeyAlgorithm(), digest);
        if (PgpAlgorithms.kind(key.getAlgorithm()) != PgpAlgorithms.kind(signature.getKeyAlgorithm())) {
            return fail(Failure.SIGNATURE_INVALID, "the OpenPGP signature claims " + PgpAlgorithms.algorithmName(
                    signature.getKeyAlgorithm()) + " but the key " + TrustedPgpKeys.keyId(key) + " is "
                    + PgpAlgorithms.keyName(key), who, digest.jcaName(), compact, algorithm, signedAt);
        }
        if (PgpAlgorithms.kind(key.getAlgorithm()) == PgpAlgorithms.Kind.RSA
                && key.getBitStrength() < PgpAlgorithms.MIN_RSA_BITS) {
            return fail(Failure.WEAK_ALGORITHM, "the OpenPGP key " + TrustedPgpKeys.keyId(key) + " is "
                    + PgpAlgorithms.keyName(key) + ", shorter than the " + PgpAlgorithms.MIN_RSA_BITS
                    + " bits accepted", who, digest.jcaName(), compact, algorithm, signedAt);
        }
        try {
            signature.init(new PrehashedPgpVerifier(state, digest), key);
            if (!signature.verify()) {
                return fail(Failure.CONTENT_MODIFIED, "the OpenPGP signature by " + TrustedPgpKeys.keyId(key)
                        + " does not match the artifact: the artifact was changed after signing, or "
                        + signatureName + " was altered", who, digest.jcaName(), compact, algorithm, signedAt);
            }
        } catch (PGPException | RuntimeException e) {
            return fail(Failure.SIGNATURE_INVALID, "the OpenPGP signature by " + TrustedPgpKeys.keyId(key)
                    + " cannot be checked (" + Reasons.detail(e) + ")", who, digest.jcaName(), compact, algorithm,
                    signedAt);
        }
        TrustedPgpKeys.Refusal refusal = keys.refusal(candidate, signedAt);
        if (refusal != null) {
            return fail(refusal.failure(), refusal.reason(), who, digest.jcaName(), compact, algorithm, signedAt);
        }
        return VerificationOutcome.valid(who, digest.jcaName(), compact, null, List.of())
                .describedAs(algorithm, signedAt);
    }

    private static VerificationOutcome fail(Failure failure, String reason, SignerDetails who, String digest,
            String compact, String algorithm, Instant signedAt) {
        return VerificationOutcome.failed(failure, reason, who, digest, compact, null)
                .describedAs(algorithm, signedAt);
    }

    /** {@code SHA256withRSA}, {@code SHA256withECDSA}, {@code Ed25519}: the report's compact name. */
    private static String compactName(int keyAlgorithm, DigestAlgorithm digest) {
        PgpAlgorithms.Kind kind = PgpAlgorithms.kind(keyAlgorithm);
        if (kind == PgpAlgorithms.Kind.EDDSA) {
            return keyAlgorithm == PublicKeyAlgorithmTags.Ed448 ? "Ed448" : "Ed25519";
        }
        if (kind == null || digest == null) {
            return null;
        }
        return digest.compactName() + "with" + (kind == PgpAlgorithms.Kind.ECDSA ? "ECDSA" : "RSA");
    }
}
