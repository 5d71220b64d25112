package io.jenkins.plugins.hsmsigning.engine.io;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Keeps paths that come from jobs and users inside the directory they are meant for: no {@code ..}, no absolute
 * paths or drive letters, and no symbolic link that leads out.
 */
public final class ArtifactPaths {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private ArtifactPaths() {
    }

    /** A relative, slash-separated path with no {@code .} or {@code ..} segments, or an INPUT error naming it. */
    public static String checkRelative(String path) throws SigningException {
        String p = path.replace('\\', '/');
        if (p.isEmpty() || p.startsWith("/") || DRIVE.matcher(p).matches() || p.indexOf('\0') >= 0) {
            throw escapes(path);
        }
        for (String segment : p.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                throw escapes(path);
            }
        }
        return p;
    }

    /**
     * {@code relative} resolved under {@code root}; the real path (links followed) must stay under the real root.
     * A path that does not exist yet is checked through its nearest existing parent.
     */
    public static Path resolveWithin(Path root, String relative) throws SigningException {
        String checked = checkRelative(relative);
        try {
            Path realRoot = root.toRealPath();
            Path candidate = realRoot.resolve(checked);
            Path existing = candidate;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null || !existing.toRealPath().startsWith(realRoot)) {
                throw escapes(relative);
            }
            return candidate;
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The path " + relative + " cannot be resolved: " + e.getMessage()
                    + ".", e);
        }
    }

    private static SigningException escapes(String path) {
        return new SigningException(Kind.INPUT, "The path '" + path
                + "' leads outside the artifacts or workspace, so it is refused.");
    }
}
