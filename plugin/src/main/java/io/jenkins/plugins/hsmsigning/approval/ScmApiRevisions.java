package io.jenkins.plugins.hsmsigning.approval;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;

/**
 * The revision a build built, as the SCM API records it (for Git, the commit hash). Loaded only when the SCM API
 * plugin, an optional dependency, is active.
 */
final class ScmApiRevisions {

    private ScmApiRevisions() {
    }

    @CheckForNull
    static String of(Run<?, ?> run) {
        SCMRevisionAction action = run.getAction(SCMRevisionAction.class);
        SCMRevision revision = action == null ? null : action.getRevision();
        return revision == null ? null : revision.toString();
    }
}
