package io.jenkins.plugins.hsmsigning.origin;

import hudson.model.AbstractProject;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.Fact;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.JobKind;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import java.util.List;

/**
 * Gathers the facts the origin rules need about a build ({@link RunOrigin}), from the build itself and the plugins
 * that know them: workflow-job and workflow-cps (definition, replay), scm-api and branch-api (multibranch heads,
 * forks, revisions) and git (repository URLs, commits). Every one of them is optional; a fact whose plugin is missing
 * is {@link Fact#UNKNOWN}, and a rule that needs it refuses. Reads nothing but the build and its job: no credential,
 * no token, no agent.
 */
public final class RunOrigins {

    private RunOrigins() {
    }

    public static RunOrigin of(Run<?, ?> run) {
        Job<?, ?> job = run.getParent();
        if (job instanceof AbstractProject) {
            return RunOrigin.freestyle();
        }
        ScriptOrigin script = run.getAction(ScriptOrigin.class);
        if (script == null) {
            return RunOrigin.unknown();
        }
        UsagePolicy.Head head = ScmHeads.of(job);
        JobKind kind = head != null || PipelineOriginRecorder.MULTIBRANCH_DEFINITION.equals(script.getDefinition())
                ? JobKind.MULTIBRANCH : JobKind.PIPELINE;
        Fact replayed = Plugins.active(Plugins.WORKFLOW_CPS) ? Fact.of(CpsDefinitions.replayed(run)) : Fact.UNKNOWN;
        Fact changeRequest;
        Fact fork;
        if (kind == JobKind.PIPELINE) {
            changeRequest = Fact.NO;
            fork = Fact.NO;
        } else if (head == null) {
            changeRequest = Fact.UNKNOWN;
            fork = Fact.UNKNOWN;
        } else {
            changeRequest = Fact.of(head.kind() == UsagePolicy.HeadKind.CHANGE_REQUEST);
            fork = ScmApiHeads.fork(job);
        }
        List<String> repositories = script.getRepositories();
        return new RunOrigin(kind, script.getScriptFromScm(), replayed, repositories, commit(run, kind, script),
                changeRequest, fork);
    }

    /**
     * The revision the script came from, where it is known for sure: a multibranch build's revision, or the first Git
     * checkout of a "Pipeline script from SCM" that checks out in full. Otherwise null (never a guess from a later
     * checkout of the build).
     */
    private static String commit(Run<?, ?> run, JobKind kind, ScriptOrigin script) {
        if (kind == JobKind.MULTIBRANCH) {
            return Plugins.active(Plugins.SCM_API) ? ScmApiHeads.revision(run) : null;
        }
        return script.isCheckedOutFirst() && Plugins.active(Plugins.GIT) && !script.getRepositories().isEmpty()
                ? GitRepositories.firstCommit(run, script.getRepositories()) : null;
    }
}
