package io.jenkins.plugins.hsmsigning.engine.report;

import io.jenkins.plugins.hsmsigning.engine.SigningException;

/** Why an operation failed, for machines; the entry's {@code reason} says it for people. */
public enum Failure {
    /** No signature was found for the artifact. */
    NO_SIGNATURE,
    /** The artifact or the signature file is malformed, or of another format than expected. */
    MALFORMED,
    /** The artifact changed after it was signed. */
    CONTENT_MODIFIED,
    /** The signature value does not verify. */
    SIGNATURE_INVALID,
    /** The signer's certificate does not chain to a trust anchor. */
    UNTRUSTED,
    /** The signer's certificate was not valid at the signing time (or now, without a timestamp). */
    CERTIFICATE_EXPIRED,
    /**
     * A certificate of the signer's (or the time-stamp authority's) chain was revoked before the signature was made:
     * before the timestamp's time, or before now without a timestamp.
     */
    CERTIFICATE_REVOKED,
    /** Revocation checking is strict and the revocation status of a certificate of the chain could not be learnt. */
    REVOCATION_UNKNOWN,
    /** The signer's certificate may not sign code. */
    NOT_FOR_CODE_SIGNING,
    /**
     * Policy, not forgery: the signature uses an algorithm this verifier refuses (SHA-1, MD5, a too short key), so
     * whether it is genuine was not decided.
     */
    WEAK_ALGORITHM,
    /** The signature is of a kind or version this verifier cannot check (an unknown key type, say); not a forgery. */
    UNSUPPORTED,
    /** The signing key (or the OpenPGP subkey, or its primary key) was revoked, and the revocation covers it. */
    KEY_REVOKED,
    /** The OpenPGP key (or subkey) had expired when the signature was made. */
    KEY_EXPIRED,
    /** The timestamp does not verify or does not match the signature. */
    TIMESTAMP_INVALID,
    /** A timestamp was required and none could be obtained. */
    TIMESTAMP_MISSING,
    /** The key, token or PIN could not be used. */
    KEY_ERROR,
    /** The artifact could not be read or written. */
    INPUT_ERROR,
    /** A setting is missing or wrong. */
    CONFIGURATION,
    /** Signed, but the use of the key could not be written to the audit log, so the result was not published. */
    NOT_AUDITED,
    /** A file an attestation names as its subject is not there. */
    SUBJECT_MISSING,
    /** A provenance was made by another builder than the one expected. */
    BUILDER_MISMATCH,
    /** A provenance names another source repository than the one expected. */
    SOURCE_MISMATCH,
    /** A provenance names another branch than the one expected. */
    BRANCH_MISMATCH;

    /**
     * The failure a report entry records for an exception of this kind: how every front-end (the signer itself, the
     * command line, the Jenkins plugin when a key cannot be opened) reports it.
     */
    public static Failure of(SigningException.Kind kind) {
        return switch (kind) {
            case KEY -> KEY_ERROR;
            case TIMESTAMP -> TIMESTAMP_MISSING;
            case CONFIGURATION -> CONFIGURATION;
            case VERIFICATION -> SIGNATURE_INVALID;
            case INPUT -> INPUT_ERROR;
        };
    }
}
