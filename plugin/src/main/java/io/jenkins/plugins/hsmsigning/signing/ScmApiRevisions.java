package io.jenkins.plugins.hsmsigning.signing;

import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.attest.BuildFacts;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;
import jenkins.scm.api.SCMSource;

/**
 * The revision a multibranch build was started for, through the SCM API ({@link SCMRevisionAction} of the job's
 * {@link SCMSource}), for builds whose checkout the Git plugin did not record. The revision is named as its SCM prints
 * it (a Git source prints its commit hash); the repository is not known here. Loaded only when the SCM API plugin is
 * active (see {@link ScmRevisions}).
 */
final class ScmApiRevisions {

    private ScmApiRevisions() {
    }

    static void addTo(Run<?, ?> run, BuildFacts.Builder facts) {
        SCMSource source = SCMSource.SourceByItem.findSource(run.getParent());
        SCMRevision revision = source == null ? null : SCMRevisionAction.getRevision(source, run);
        if (revision != null) {
            facts.source(null, revision.toString(), null);
        }
    }
}
