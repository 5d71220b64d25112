package io.jenkins.plugins.hsmsigning.engine.approval;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SHA-256 that binds an approval to bytes: computed by the engine when the request is made, and again on the
 * very files about to be signed after approval. Any difference, or an artifact added or gone, stops the signing.
 */
public final class ArtifactDigests {

    private ArtifactDigests() {
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Fails unless {@code paths} are exactly the approved artifacts: none added, none gone. */
    public static void checkSameArtifacts(List<ArtifactDigest> approved, Collection<String> paths)
            throws SigningException {
        Set<String> expected = new LinkedHashSet<>();
        approved.forEach(a -> expected.add(a.path()));
        for (String path : paths) {
            if (!expected.contains(path)) {
                throw input(path + " was not among the approved artifacts; nothing was signed.");
            }
        }
        for (String path : expected) {
            if (!paths.contains(path)) {
                throw input(path + " was approved but is no longer among the artifacts to sign; nothing was"
                        + " signed.");
            }
        }
    }

    /**
     * Fails unless {@code sha256} (hex), the hash of the very read about to be signed, is the approved one of
     * {@code path}; {@code outcome} ends the message ("it was not signed.", say).
     */
    public static void checkRead(List<ArtifactDigest> approved, String path, String sha256, String outcome)
            throws SigningException {
        String expected = approved.stream().filter(a -> a.path().equals(path)).map(ArtifactDigest::sha256)
                .findFirst().orElse(null);
        if (expected == null) {
            throw input(path + " was not among the approved artifacts; " + outcome);
        }
        if (!expected.equals(sha256)) {
            throw input(path + " changed after approval (approved SHA-256 " + expected + ", now " + sha256 + "); "
                    + outcome);
        }
    }

    private static SigningException input(String message) {
        return new SigningException(SigningException.Kind.INPUT, message);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
