package io.jenkins.plugins.hsmsigning.signing;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.inplace.ArtifactStore;
import io.jenkins.plugins.hsmsigning.engine.io.ArtifactPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import jenkins.model.ArtifactManager;
import jenkins.model.StandardArtifactManager;

/**
 * A build's archived artifacts as the engine's {@link ArtifactStore}: read where they are, and the results of each
 * artifact archived again as soon as its audit lines are written.
 *
 * <p>Archived artifacts are hostile: {@code archiveArtifacts} keeps a symbolic link of the workspace as a link, and
 * one that leads to a file of the controller must never be read as an artifact, or the profile's key would sign it. In
 * the build's own archive directory no link is followed, neither the artifact nor a directory on its way (the file
 * is opened with {@link LinkOption#NOFOLLOW_LINKS}, so a link put in its place after the check is not followed
 * either). Another artifact manager (in a cloud store, say) is read through {@link jenkins.util.VirtualFile#open}.
 */
final class ArchivedArtifactStore implements ArtifactStore {

    private final Run<?, ?> run;
    private final TaskListener listener;
    private final BooleanSupplier audited;
    private final Set<String> unpublished = ConcurrentHashMap.newKeySet();
    private volatile boolean anyPublished;

    /** {@code audited}: whether every audit line so far was written; if not, nothing more is published. */
    ArchivedArtifactStore(Run<?, ?> run, TaskListener listener, BooleanSupplier audited) {
        this.run = run;
        this.listener = listener;
        this.audited = audited;
    }

    @Override
    public InputStream open(String path) throws IOException, SigningException {
        return read(run, path);
    }

    @Override
    public void publish(String artifact, Path directory, Map<String, String> files)
            throws IOException, InterruptedException {
        if (!audited.getAsBoolean()) {
            unpublished.add(artifact);
            return;
        }
        try {
            ArchivedArtifacts.archive(run, directory, files, listener);
            anyPublished = true;
        } catch (IOException e) {
            listener.getLogger().println("  " + artifact + ": signed, but not archived: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Archiving writes through a symbolic link already archived under the same name (Jenkins' untar follows it), so
     * results are never archived over one: the signature would land in whatever file of the controller it names.
     */
    static void refuseLinkTargets(Run<?, ?> run, Collection<String> paths) throws IOException {
        ArtifactManager manager = run.pickArtifactManager();
        if (manager.getClass() != StandardArtifactManager.class) {
            return;
        }
        Path archive = Path.of(manager.root().toURI());
        for (String path : paths) {
            try {
                refuseLinks(archive, path, "so nothing is archived over it: archiving would write into the file"
                        + " it leads to.");
            } catch (SigningException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** Whether the results of some artifact were archived. */
    boolean anyPublished() {
        return anyPublished;
    }

    /** The artifacts whose results were not archived because an audit line could not be written. */
    Set<String> unpublished() {
        return Set.copyOf(unpublished);
    }

    /** Opens an archived artifact for one read, refusing links (see the class comment). */
    static InputStream read(Run<?, ?> run, String path) throws IOException, SigningException {
        ArtifactManager manager = run.getArtifactManager();
        if (manager.getClass() != StandardArtifactManager.class) {
            return manager.root().child(path).open();
        }
        Path file = refuseLinks(Path.of(manager.root().toURI()), path, "so it was not signed: archiveArtifacts"
                + " keeps links as links, and what a link leads to is not an archived artifact. Archive a copy of the"
                + " file (cp -L), or exclude the link.");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new SigningException(SigningException.Kind.INPUT, "The archived artifact " + path
                    + " is not a regular file, so it was not signed.");
        }
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * {@code path} under {@code archive}, which must not be, nor be inside, a symbolic link (it need not exist);
     * {@code outcome} ends the refusal.
     */
    private static Path refuseLinks(Path archive, String path, String outcome) throws SigningException {
        Path file = archive.resolve(ArtifactPaths.checkRelative(path));
        Path current = archive;
        for (Path part : archive.relativize(file)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw new SigningException(SigningException.Kind.INPUT, "The archived artifact " + path + " is "
                        + (current.equals(file) ? "a symbolic link" : "inside a symbolically linked directory")
                        + ", " + outcome);
            }
        }
        return file;
    }
}
