package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.keys.Providers;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.SignerDetails;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * The OpenPGP keys a verification trusts, and what each of them may sign when. A primary key given by the user is
 * trusted; a subkey only when a valid binding signature by that primary key binds it and, for a signing subkey, the
 * subkey's back-signature (primary key binding) proves its owner agreed. Revocations and expiry come from the key's
 * own, verified, self-signatures (the one in effect when the signature was made counts).
 */
final class TrustedPgpKeys {

    private final List<PGPPublicKey> keys;
    private final List<X509Certificate> certificates;
    private final boolean judgeTrust;

    TrustedPgpKeys(VerificationOptions options) {
        this.keys = options.pgpKeys();
        this.certificates = options.pgpCertificates();
        this.judgeTrust = options.judgeTrust();
    }

    /** False when inspecting: the keys given are then merely known, not trusted. */
    boolean judgeTrust() {
        return judgeTrust;
    }

    /** A key that may have made a signature, with who it belongs to and its primary key (itself for a primary). */
    record Candidate(PGPPublicKey key, PGPPublicKey primary, SignerDetails who) {
    }

    /** Every trusted key (or subkey) with the signature's issuer key id, and fingerprint when the signature names it. */
    List<Candidate> candidates(PGPSignature signature) {
        long keyId = signature.getKeyID();
        byte[] fingerprint = issuerFingerprint(signature);
        List<Candidate> found = new ArrayList<>();
        for (PGPPublicKey key : keys) {
            if (key.getKeyID() != keyId || (fingerprint != null && !Arrays.equals(fingerprint, key.getFingerprint()))) {
                continue;
            }
            PGPPublicKey primary = key.isMasterKey() ? key : primaryOf(key);
            if (primary != null) {
                found.add(new Candidate(key, primary, signer(primary, key)));
            } else {
                found.add(new Candidate(key, null, signer(key, key)));
            }
        }
        for (X509Certificate certificate : certificates) {
            try {
                PGPPublicKey derived = PgpKeys.publicKey(certificate);
                if (derived.getKeyID() == keyId) {
                    found.add(new Candidate(derived, derived, SignerDetails.of(certificate)));
                }
            } catch (SigningException e) {
                // a certificate whose key OpenPGP cannot use made no OpenPGP signature
            }
        }
        return found;
    }

    /**
     * Null when {@code candidate} may have made a signature at {@code signedAt}; otherwise the refusal. A signature
     * made while the key was valid stays valid after the key expires, and after a revocation that says the key was
     * merely superseded or retired. A revocation for compromise, or without a reason, withdraws every signature the
     * key ever made: its creation time is whatever the holder of the stolen key wrote.
     */
    Refusal refusal(Candidate candidate, Instant signedAt) {
        if (candidate.primary() == null) {
            return new Refusal(Failure.UNTRUSTED, "the OpenPGP subkey " + keyId(candidate.key())
                    + " is not bound to a trusted primary key by a valid binding signature");
        }
        PGPPublicKey primary = candidate.primary();
        PGPPublicKey key = candidate.key();
        Refusal revoked = revocation(primary, primary, PGPSignature.KEY_REVOCATION, signedAt, "key");
        if (revoked != null) {
            return revoked;
        }
        PGPSignature primarySelf = selfSignatureAt(primary, signedAt);
        Refusal expired = expiry(primary, primarySelf, signedAt, "key");
        if (expired != null) {
            return expired;
        }
        if (key == primary) {
            if (primarySelf != null && primarySelf.getHashedSubPackets() != null
                    && primarySelf.getHashedSubPackets().hasSubpacket(
                    SignatureSubpacketTags.KEY_FLAGS)
                    && (primarySelf.getHashedSubPackets().getKeyFlags()
                    & KeyFlags.SIGN_DATA) == 0) {
                return new Refusal(Failure.UNTRUSTED, "the OpenPGP key " + keyId(key)
                        + " may only certify keys, not sign data (its key flags say so)");
            }
            return null;
        }
        revoked = revocation(key, primary, PGPSignature.SUBKEY_REVOCATION, signedAt, "subkey");
        if (revoked != null) {
            return revoked;
        }
        PGPSignature binding = bindingAt(key, primary, signedAt);
        if (binding == null) {
            return new Refusal(Failure.UNTRUSTED, "the OpenPGP subkey " + keyId(key)
                    + " is not bound to its primary key by a valid binding signature");
        }
        var flags = binding.getHashedSubPackets();
        if (flags == null || (flags.getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
            return new Refusal(Failure.UNTRUSTED, "the OpenPGP subkey " + keyId(key)
                    + " is not a signing subkey (its binding signature does not allow signing)");
        }
        if (!backSigned(binding, key, primary)) {
            return new Refusal(Failure.UNTRUSTED, "the OpenPGP signing subkey " + keyId(key)
                    + " has no valid back-signature: nothing shows its owner agreed to be bound to "
                    + keyId(primary));
        }
        return expiry(key, binding, signedAt, "subkey");
    }

    /** Why a trusted key is refused for a signature, in the report's terms. */
    record Refusal(Failure failure, String reason) {
    }

    private static Refusal revocation(PGPPublicKey key, PGPPublicKey issuer, int type, Instant signedAt,
            String what) {
        for (Iterator<PGPSignature> it = key.getSignaturesOfType(type); it.hasNext();) {
            PGPSignature revocation = it.next();
            if (revocation.getKeyID() != issuer.getKeyID() || !verifies(revocation, key, issuer)) {
                continue;
            }
            var reason = revocation.getHashedSubPackets() == null ? null
                    : revocation.getHashedSubPackets().getRevocationReason();
            int code = reason == null ? 0 : reason.getRevocationReason();
            Instant revokedAt = revocation.getCreationTime().toInstant();
            boolean soft = code == 1 || code == 3;
            String description = reason == null || reason.getRevocationDescription().isEmpty() ? ""
                    : " (\"" + Reasons.clean(reason.getRevocationDescription()) + "\")";
            if (!soft) {
                return new Refusal(Failure.KEY_REVOKED, "the OpenPGP " + what + " " + keyId(key) + " was revoked on "
                        + revokedAt + (code == 2 ? " as compromised" : " without a reason") + description
                        + ", which withdraws every signature it made");
            }
            if (signedAt.isAfter(revokedAt)) {
                return new Refusal(Failure.KEY_REVOKED, "the OpenPGP " + what + " " + keyId(key) + " was revoked on "
                        + revokedAt + (code == 1 ? " as superseded" : " as retired") + description
                        + ", before this signature was made (" + signedAt + ")");
            }
        }
        return null;
    }

    private static Refusal expiry(PGPPublicKey key, PGPSignature selfSignature, Instant signedAt, String what) {
        Instant created = key.getCreationTime().toInstant();
        if (signedAt.isBefore(created)) {
            return new Refusal(Failure.KEY_EXPIRED, "the signature claims to have been made on " + signedAt
                    + ", before the OpenPGP " + what + " " + keyId(key) + " was created (" + created + ")");
        }
        long seconds = selfSignature == null || selfSignature.getHashedSubPackets() == null ? 0
                : selfSignature.getHashedSubPackets().getKeyExpirationTime();
        if (seconds > 0 && signedAt.isAfter(created.plusSeconds(seconds))) {
            return new Refusal(Failure.KEY_EXPIRED, "the OpenPGP " + what + " " + keyId(key) + " expired on "
                    + created.plusSeconds(seconds) + ", before this signature was made (" + signedAt + ")");
        }
        return null;
    }

    /**
     * The valid self-certification of a user id, or direct-key signature, of a primary key that was in effect at
     * {@code at}: the newest one made by then (the oldest when all are newer). A key extended after it expired does
     * not revive signatures made while it was expired; one shortened later does not withdraw earlier ones.
     */
    private static PGPSignature selfSignatureAt(PGPPublicKey primary, Instant at) {
        List<PGPSignature> valid = new ArrayList<>();
        for (Iterator<String> ids = primary.getUserIDs(); ids.hasNext();) {
            String id = ids.next();
            for (Iterator<PGPSignature> it = primary.getSignaturesForID(id); it.hasNext();) {
                PGPSignature s = it.next();
                if (s.getKeyID() == primary.getKeyID() && s.isCertification() && certifies(s, id, primary)) {
                    valid.add(s);
                }
            }
        }
        for (Iterator<PGPSignature> it = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY); it.hasNext();) {
            PGPSignature s = it.next();
            if (s.getKeyID() == primary.getKeyID() && verifies(s, primary, primary)) {
                valid.add(s);
            }
        }
        return inEffect(valid, at);
    }

    private PGPPublicKey primaryOf(PGPPublicKey subkey) {
        for (PGPPublicKey candidate : keys) {
            if (candidate.isMasterKey() && bindingAt(subkey, candidate, null) != null) {
                return candidate;
            }
        }
        return null;
    }

    /** The valid binding signature of the subkey in effect at {@code at} (as above); any, when {@code at} is null. */
    private static PGPSignature bindingAt(PGPPublicKey subkey, PGPPublicKey primary, Instant at) {
        List<PGPSignature> valid = new ArrayList<>();
        for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext();) {
            PGPSignature s = it.next();
            if (s.getKeyID() == primary.getKeyID() && verifies(s, subkey, primary)) {
                valid.add(s);
            }
        }
        return inEffect(valid, at);
    }

    /** The newest signature made by {@code at}, else the oldest; null when there is none. */
    private static PGPSignature inEffect(List<PGPSignature> signatures, Instant at) {
        PGPSignature chosen = null;
        for (PGPSignature s : signatures) {
            boolean madeBy = at == null || !s.getCreationTime().toInstant().isAfter(at);
            boolean chosenMadeBy = chosen != null && (at == null || !chosen.getCreationTime().toInstant().isAfter(at));
            if (chosen == null || (madeBy && (!chosenMadeBy || s.getCreationTime().after(chosen.getCreationTime())))
                    || (!madeBy && !chosenMadeBy && s.getCreationTime().before(chosen.getCreationTime()))) {
                chosen = s;
            }
        }
        return chosen;
    }

    /** The primary key binding signature (0x19) the subkey made, embedded in its binding signature. */
    private static boolean backSigned(PGPSignature binding, PGPPublicKey subkey, PGPPublicKey primary) {
        List<PGPSignature> embedded = new ArrayList<>();
        try {
            for (var packets : List.of(binding.getHashedSubPackets(), binding.getUnhashedSubPackets())) {
                if (packets != null) {
                    packets.getEmbeddedSignatures().forEach(embedded::add);
                }
            }
        } catch (PGPException e) {
            return false;
        }
        for (PGPSignature back : embedded) {
            if (back.getSignatureType() != PGPSignature.PRIMARYKEY_BINDING) {
                continue;
            }
            try {
                back.init(provider(), subkey);
                if (back.verifyCertification(primary, subkey)) {
                    return true;
                }
            } catch (Exception e) {
                // a back-signature that cannot be checked proves nothing
            }
        }
        return false;
    }

    /** A key (revocation, direct-key) or subkey (binding, subkey revocation) signature by {@code issuer}. */
    private static boolean verifies(PGPSignature signature, PGPPublicKey key, PGPPublicKey issuer) {
        try {
            signature.init(provider(), issuer);
            return key == issuer ? signature.verifyCertification(key) : signature.verifyCertification(issuer, key);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean certifies(PGPSignature signature, String userId, PGPPublicKey primary) {
        try {
            signature.init(provider(), primary);
            return signature.verifyCertification(userId, primary);
        } catch (Exception e) {
            return false;
        }
    }

    private static JcaPGPContentVerifierBuilderProvider provider() {
        return new JcaPGPContentVerifierBuilderProvider().setProvider(Providers.bouncyCastle());
    }

    private static byte[] issuerFingerprint(PGPSignature signature) {
        var hashed = signature.getHashedSubPackets();
        if (hashed == null || hashed.getIssuerFingerprint() == null) {
            return null;
        }
        return hashed.getIssuerFingerprint().getFingerprint();
    }

    /** The primary key's first user id, or its fingerprint when it has none, with the signing (sub)key's id. */
    private static SignerDetails signer(PGPPublicKey primary, PGPPublicKey key) {
        Iterator<String> ids = primary.getUserIDs();
        String fingerprint = PgpKeys.fingerprint(primary);
        String uid = ids.hasNext() ? ids.next() : "OpenPGP key " + fingerprint;
        return new SignerDetails(uid, null, String.format("%016X", key.getKeyID()), PgpKeys.fingerprint(key));
    }

    static String keyId(PGPPublicKey key) {
        return String.format("%016X", key.getKeyID());
    }
}
