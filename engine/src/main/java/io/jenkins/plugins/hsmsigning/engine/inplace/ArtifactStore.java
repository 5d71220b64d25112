package io.jenkins.plugins.hsmsigning.engine.inplace;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the artifacts an {@link InPlaceSigner} signs are kept (a Jenkins build's archived artifacts, say): read
 * without a copy, and given their signatures back one artifact at a time.
 */
public interface ArtifactStore {

    /**
     * Opens a stored artifact for one read. Refuses, in one sentence naming the artifact, what must not be read as
     * the artifact: a link leading out of the store, anything but a regular file.
     */
    InputStream open(String path) throws IOException, SigningException;

    /**
     * Stores one artifact's results: {@code files} maps a stored path (the artifact itself when it was rewritten,
     * its new signature files) to a file name in {@code directory}. Called once per artifact that has results, after
     * its report entries were handed to the progress consumer (which audits them), one artifact at a time.
     */
    void publish(String artifact, Path directory, Map<String, String> files) throws IOException, InterruptedException;
}
