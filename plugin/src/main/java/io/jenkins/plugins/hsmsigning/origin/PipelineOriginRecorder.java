package io.jenkins.plugins.hsmsigning.origin;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Queue;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.Fact;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionListener;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;

/**
 * Records where a Pipeline build's script came from ({@link ScriptOrigin}) while it starts. {@code WorkflowRun}
 * reads its job's definition between firing "started" and creating the execution; this listener notes the definition
 * at "started" and, when the execution has been created, records its origin only if the job still has that very
 * definition object. Saving the job's configuration replaces the object, so a build whose job was reconfigured while
 * it started gets an unknown origin, which the origin rules refuse. Loaded only with workflow-job
 * ({@code optional = true}): without it no Pipeline build has a recorded origin.
 */
@Extension(optional = true)
public final class PipelineOriginRecorder extends RunListener<WorkflowRun> {

    private static final Logger LOGGER = Logger.getLogger(PipelineOriginRecorder.class.getName());
    /** The class of a multibranch Pipeline job's definition: the Jenkinsfile of the branch it builds. */
    static final String MULTIBRANCH_DEFINITION = "org.jenkinsci.plugins.workflow.multibranch.SCMBinder";

    private static final Map<WorkflowRun, FlowDefinition> STARTING = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void onStarted(WorkflowRun run, TaskListener listener) {
        FlowDefinition definition = run.getParent().getDefinition();
        if (definition != null) {
            STARTING.put(run, definition);
        }
    }

    /** Compares the definition the build started with to the job's once the execution exists. */
    @Extension(optional = true)
    public static final class Created extends FlowExecutionListener {

        @Override
        public void onCreated(@NonNull FlowExecution execution) {
            Queue.Executable executable;
            try {
                executable = execution.getOwner().getExecutable();
            } catch (IOException e) {
                LOGGER.log(Level.FINE, "no build for " + execution, e);
                return;
            }
            if (executable instanceof WorkflowRun run) {
                FlowDefinition started = STARTING.remove(run);
                WorkflowJob job = run.getParent();
                FlowDefinition now = job.getDefinition();
                run.addOrReplaceAction(started != null && started == now ? origin(job, now)
                        : new ScriptOrigin(Fact.UNKNOWN, List.of(), "changed while the build started"));
                try {
                    run.save(); // so that a build resumed after a restart still knows its origin
                } catch (IOException e) {
                    LOGGER.log(Level.WARNING, "cannot save the script origin of " + run, e);
                }
            }
        }
    }

    static ScriptOrigin origin(WorkflowJob job, FlowDefinition definition) {
        String type = definition.getClass().getName();
        if (Plugins.active(Plugins.WORKFLOW_CPS)) {
            ScriptOrigin cps = CpsDefinitions.origin(definition);
            if (cps != null) {
                return cps;
            }
        }
        if (MULTIBRANCH_DEFINITION.equals(type)) {
            List<String> urls = Plugins.active(Plugins.SCM_API) && Plugins.active(Plugins.GIT)
                    ? GitRepositories.urls(ScmApiHeads.source(job)) : List.of();
            return new ScriptOrigin(Fact.YES, urls, type);
        }
        return new ScriptOrigin(Fact.UNKNOWN, List.of(), type);
    }
}
