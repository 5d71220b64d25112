package io.jenkins.plugins.hsmsigning.origin;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.Fact;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy.HeadKind;
import java.util.List;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.SCMHeadOrigin;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead2;
import jenkins.scm.api.mixin.TagSCMHead;

/**
 * What the SCM API knows of a job of a multibranch project: its head ({@link SCMHead.HeadByItem}, which branch-api
 * implements for every kind of multibranch project), whether that is a change request from a fork, its source, and
 * the revision a build built. Loaded only when the SCM API plugin is active ({@link ScmHeads}).
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

    /**
     * Whether the job's head is a change request from a fork: only a {@link ChangeRequestSCMHead2} says where it
     * comes from; an older change request head cannot tell.
     */
    static Fact fork(Job<?, ?> job) {
        SCMHead head = SCMHead.HeadByItem.findHead(job);
        if (!(head instanceof ChangeRequestSCMHead)) {
            return Fact.NO;
        }
        if (head instanceof ChangeRequestSCMHead2 changeRequest) {
            return Fact.of(changeRequest.getOrigin() instanceof SCMHeadOrigin.Fork);
        }
        return Fact.UNKNOWN;
    }

    /** The source of a job of a multibranch project, for the repository its script comes from. */
    @CheckForNull
    static SCMSource source(Job<?, ?> job) {
        return SCMSource.SourceByItem.findSource(job);
    }

    /** The revision a build of a multibranch job built, as its SCM names it. */
    @CheckForNull
    static String revision(Run<?, ?> run) {
        List<SCMRevisionAction> actions = run.getActions(SCMRevisionAction.class);
        if (actions.isEmpty()) {
            return null;
        }
        SCMRevision revision = actions.get(0).getRevision();
        return Plugins.active(Plugins.GIT) ? GitRepositories.hash(revision) : revision.toString();
    }
}
