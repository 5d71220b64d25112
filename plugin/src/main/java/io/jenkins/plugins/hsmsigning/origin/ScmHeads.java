package io.jenkins.plugins.hsmsigning.origin;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Job;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;

/**
 * The branch, tag or change request a job of a multibranch project builds, or null for any other job. Multibranch
 * projects need the SCM API plugin, an optional dependency: its classes are only touched (in {@link ScmApiHeads})
 * when it is active.
 */
public final class ScmHeads {

    private ScmHeads() {
    }

    @CheckForNull
    public static UsagePolicy.Head of(Job<?, ?> job) {
        return Plugins.active(Plugins.SCM_API) ? ScmApiHeads.of(job) : null;
    }
}
