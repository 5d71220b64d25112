package io.jenkins.plugins.hsmsigning.signing;

import hudson.model.Run;
import hudson.plugins.git.Revision;
import hudson.plugins.git.util.BuildData;
import io.jenkins.plugins.hsmsigning.engine.attest.BuildFacts;

/**
 * The commits the Git plugin checked out in a build ({@link BuildData}, one per checkout), each with the remote URLs
 * of its repository. Loaded only when the Git plugin is active (see {@link ScmRevisions}).
 */
final class GitRevisions {

    private GitRevisions() {
    }

    /** Whether any Git checkout was found. */
    static boolean addTo(Run<?, ?> run, BuildFacts.Builder facts) {
        boolean found = false;
        for (BuildData data : run.getActions(BuildData.class)) {
            Revision revision = data.getLastBuiltRevision();
            if (revision == null) {
                continue;
            }
            String commit = revision.getSha1String();
            if (data.getRemoteUrls().isEmpty()) {
                facts.source(null, commit, null);
            }
            for (String url : data.getRemoteUrls()) {
                facts.source(url, commit, null);
            }
            found = true;
        }
        return found;
    }
}
