package io.jenkins.plugins.hsmsigning.signing;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Job;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy.HeadKind;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;
import jenkins.scm.api.mixin.TagSCMHead;

/**
 * Reads a job's SCM head through the SCM API ({@link SCMHead.HeadByItem}, which branch-api implements for every kind
 * of multibranch project). Loaded only when the SCM API plugin is active (see {@link ScmBranches}).
 */
final class ScmApiHeads {

    private ScmApiHeads() {
    }

    @CheckForNull
    static UsagePolicy.Head of(Job<?, ?> job) {
        SCMHead head = SCMHead.HeadByItem.findHead(job);
        if (head == null) {
            return null;
        }
        HeadKind kind = head instanceof TagSCMHead ? HeadKind.TAG
                : head instanceof ChangeRequestSCMHead ? HeadKind.CHANGE_REQUEST : HeadKind.BRANCH;
        return new UsagePolicy.Head(head.getName(), kind);
    }
}
