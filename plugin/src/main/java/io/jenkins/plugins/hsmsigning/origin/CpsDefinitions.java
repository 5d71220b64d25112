package io.jenkins.plugins.hsmsigning.origin;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.Fact;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.CpsFlowFactoryAction2;
import org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.replay.ReplayCause;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;

/** What workflow-cps tells about a script's origin. Loaded only when workflow-cps is active. */
final class CpsDefinitions {

    private CpsDefinitions() {
    }

    /** "Pipeline script from SCM" (and its repositories) or "Pipeline script" (inline); null for another. */
    @CheckForNull
    static ScriptOrigin origin(FlowDefinition definition) {
        String type = definition.getClass().getName();
        if (definition instanceof CpsScmFlowDefinition scm) {
            return new ScriptOrigin(Fact.YES, Plugins.active(Plugins.GIT) ? GitRepositories.urls(scm.getScm())
                    : List.of(), type, !scm.isLightweight());
        }
        if (definition instanceof CpsFlowDefinition) {
            return new ScriptOrigin(Fact.NO, List.of(), type);
        }
        return null;
    }

    /**
     * Whether the build runs a script taken from an earlier build rather than from its definition: a replay or
     * rebuild ({@link ReplayCause}), or anything that hands the script over itself, as replay and "restart from
     * stage" do ({@link CpsFlowFactoryAction2} on the build).
     */
    static boolean replayed(Run<?, ?> run) {
        return run.getCause(ReplayCause.class) != null || !run.getActions(CpsFlowFactoryAction2.class).isEmpty();
    }
}
