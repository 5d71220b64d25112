package io.jenkins.plugins.hsmsigning.approval;

import hudson.AbortException;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalEvent;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalState;
import io.jenkins.plugins.hsmsigning.signing.ArtifactSigningService;
import io.jenkins.plugins.hsmsigning.signing.DeepRequest;
import io.jenkins.plugins.hsmsigning.signing.SigningRequest;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * {@code signArtifacts} with a profile that needs approval: asks for it (off the CPS thread: the policy check and
 * the SHA-256 of every artifact), then waits without a thread or an executor, as {@code input} does, until the
 * request is approved (then signs, again off the CPS thread, exactly the approved bytes), denied, timed out or
 * withdrawn (the step fails with who and why). Aborting the build withdraws the request. Only plain strings are
 * persisted with the Pipeline; the request itself is kept on the build, so after a controller restart the step
 * registers again and goes on waiting (or signs, if approval came just before the restart).
 */
public final class ApprovalStepExecution extends StepExecution {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String profile;
    private final String includes;
    private final String excludes;
    private final ArrayList<String> formats;
    private final String tsaUrls;
    private final boolean allowEmpty;
    private final boolean replace;
    private final boolean provenance;
    private final String sboms;
    private final boolean deep;
    private final String innerIncludes;
    private final String innerExcludes;
    private final String innerDetached;
    private final boolean verbose;
    /** Chosen when the step starts, so that it is saved with the Pipeline before the request is made. */
    private final String requestId = UUID.randomUUID().toString();
    private transient volatile boolean busy;
    private transient volatile Future<?> task;
    private transient AtomicBoolean finished;
    private transient volatile Throwable stopCause;

    public ApprovalStepExecution(SigningRequest request, StepContext context) {
        super(context);
        this.profile = request.profile();
        this.includes = request.includes();
        this.excludes = request.excludes();
        this.formats = new ArrayList<>(request.formats());
        this.tsaUrls = request.tsaUrls();
        this.allowEmpty = request.allowEmpty();
        this.replace = request.replace();
        this.provenance = request.provenance();
        this.sboms = request.sboms();
        this.deep = request.deep().deep();
        this.innerIncludes = request.deep().innerIncludes();
        this.innerExcludes = request.deep().innerExcludes();
        this.innerDetached = request.deep().innerDetached();
        this.verbose = request.verbose();
    }

    private SigningRequest request() {
        return new SigningRequest(profile, includes, excludes, formats, tsaUrls, allowEmpty, replace, provenance,
                sboms, new DeepRequest(deep, innerIncludes, innerExcludes, innerDetached), verbose);
    }

    @Override
    public boolean start() {
        background(() -> {
            Run<?, ?> run = getContext().get(Run.class);
            ApprovalRequest opened = Approvals.open(run, getContext().get(TaskListener.class), request(), requestId,
                    false);
            if (opened == null) {
                sign(null);
                return;
            }
            Approvals.await(run, requestId, this::changed);
        });
        return false;
    }

    @Override
    public void onResume() {
        background(() -> {
            Run<?, ?> run = getContext().get(Run.class);
            getContext().get(TaskListener.class).getLogger().println("Still waiting for approval of the signing"
                    + " request after the controller restarted.");
            Approvals.await(run, requestId, this::changed);
        });
    }

    /** Aborting the build withdraws the request, naming who aborted it when known. */
    @Override
    public void stop(Throwable cause) {
        stopCause = cause;
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
        background(() -> {
            Approvals.stopWaiting(requestId);
            Approvals.withdraw(getContext().get(Run.class), requestId, abortedBy(cause), "the build was aborted");
            finish(cause);
        });
    }

    @Override
    public String getStatus() {
        return "waiting for approval of signing request " + requestId;
    }

    @Override
    public boolean blocksRestart() {
        return busy;
    }

    private void changed(ApprovalRequest request, List<ApprovalEvent> events) {
        try {
            Approvals.log(request, events, getContext().get(TaskListener.class).getLogger());
        } catch (Exception e) {
            // The console is for people; the decision still counts.
        }
        if (request.state() == ApprovalState.APPROVED) {
            Approvals.stopWaiting(request.id());
            background(() -> sign(request));
        } else if (request.state().closed()) {
            Approvals.stopWaiting(request.id());
            finish(new AbortException(request.failureMessage()));
        }
    }

    private void sign(ApprovalRequest approved) throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        Object result = new ArtifactSigningService(run, listener).sign(request(), approved).requireSuccess()
                .toPipelineResult();
        if (once()) {
            getContext().onSuccess(result);
        }
    }

    private void finish(Throwable failure) {
        if (once()) {
            getContext().onFailure(failure);
        }
    }

    private synchronized boolean once() {
        if (finished == null) {
            finished = new AtomicBoolean();
        }
        return finished.compareAndSet(false, true);
    }

    /** Work that may block (reading artifacts, signing) runs on a pool thread as the system, never the CPS one. */
    private void background(Work work) {
        task = Computer.threadPoolForRemoting.submit(() -> {
            busy = true;
            try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
                work.run();
            } catch (Throwable t) {
                finish(stopCause == null ? t : stopCause);
            } finally {
                busy = false;
            }
        });
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static String abortedBy(Throwable cause) {
        if (cause instanceof FlowInterruptedException interrupted) {
            for (CauseOfInterruption c : interrupted.getCauses()) {
                if (c instanceof CauseOfInterruption.UserInterruption user) {
                    return JenkinsIdentities.canonicalUser(user.getUserId());
                }
            }
        }
        return null;
    }
}
