package io.jenkins.plugins.hsmsigning.signing;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.PluginWrapper;
import hudson.model.Job;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import jenkins.model.Jenkins;

/**
 * The branch, tag or change request a job of a multibranch project builds, or null for any other job. Multibranch
 * projects need the SCM API plugin, an optional dependency: its classes are only touched (in {@link ScmApiHeads})
 * when it is active, so that this plugin works without it.
 */
final class ScmBranches {

    private ScmBranches() {
    }

    @CheckForNull
    static UsagePolicy.Head of(Job<?, ?> job) {
        PluginWrapper scmApi = Jenkins.get().getPluginManager().getPlugin("scm-api");
        if (scmApi == null || !scmApi.isActive()) {
            return null;
        }
        return ScmApiHeads.of(job);
    }
}
