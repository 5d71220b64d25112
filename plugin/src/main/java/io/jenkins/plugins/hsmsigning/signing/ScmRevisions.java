package io.jenkins.plugins.hsmsigning.signing;

import hudson.PluginWrapper;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.attest.BuildFacts;
import jenkins.model.Jenkins;

/**
 * The source revisions a build checked out, from the Git plugin (every checkout records its remote URLs and commit)
 * and from the SCM API (the revision a multibranch build was started for). Both are optional dependencies: their
 * classes are only touched, in {@link GitRevisions} and {@link ScmApiRevisions}, when the plugin is active.
 */
final class ScmRevisions {

    private ScmRevisions() {
    }

    static void addTo(Run<?, ?> run, BuildFacts.Builder facts) {
        boolean found = active("git") && GitRevisions.addTo(run, facts);
        if (!found && active("scm-api")) {
            ScmApiRevisions.addTo(run, facts);
        }
    }

    private static boolean active(String plugin) {
        PluginWrapper wrapper = Jenkins.get().getPluginManager().getPlugin(plugin);
        return wrapper != null && wrapper.isActive();
    }
}
