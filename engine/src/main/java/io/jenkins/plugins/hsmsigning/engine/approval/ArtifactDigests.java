package io.jenkins.plugins.hsmsigning.engine.approval;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /**
     * Fails, naming the first artifact that differs, unless {@code files} (artifact path to the file about to be
     * signed) holds exactly the approved artifacts with exactly the approved bytes.
     */
    public static void checkUnchanged(List<ArtifactDigest> approved, Map<String, Path> files)
            throws SigningException {
        Map<String, String> expected = new LinkedHashMap<>();
        approved.forEach(a -> expected.put(a.path(), a.sha256()));
        for (String path : files.keySet()) {
            if (!expected.containsKey(path)) {
                throw input(path + " was not among the approved artifacts; nothing was signed.");
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = files.get(e.getKey());
            if (file == null) {
                throw input(e.getKey() + " was approved but is no longer among the artifacts to sign; nothing was"
                        + " signed.");
            }
            String actual;
            try {
                actual = sha256(file);
            } catch (IOException x) {
                throw new SigningException(SigningException.Kind.INPUT, e.getKey() + " cannot be read to check it"
                        + " against its approval (" + x.getMessage() + "); nothing was signed.", x);
            }
            if (!actual.equals(e.getValue())) {
                throw input(e.getKey() + " changed after approval (approved SHA-256 " + e.getValue() + ", now "
                        + actual + "); nothing was signed.");
            }
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
