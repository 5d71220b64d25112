package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.util.Set;

/** A signature kept in its own file beside the artifact. It signs from the engine's single read of the artifact. */
public interface DetachedFormat {

    Format format();

    /** The signature file's bytes. */
    SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, ContentHashes content,
            String artifactName) throws SigningException;

    /** The digests {@link #verify} will need of the artifact; throws {@code INPUT} when the file is not a signature. */
    Set<DigestAlgorithm> digestsFor(byte[] signatureFile, String signatureName) throws SigningException;

    /** The digests of the artifact as canonical text that {@link #verify} will need (OpenPGP text signatures). */
    default Set<DigestAlgorithm> textDigestsFor(byte[] signatureFile, String signatureName) throws SigningException {
        return Set.of();
    }

    VerificationOutcome verify(byte[] signatureFile, String signatureName, ContentHashes content,
            VerificationOptions options);
}
