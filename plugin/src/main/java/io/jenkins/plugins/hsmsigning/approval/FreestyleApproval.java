package io.jenkins.plugins.hsmsigning.approval;

import hudson.AbortException;
import hudson.model.Executor;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalState;
import io.jenkins.plugins.hsmsigning.signing.ArtifactSigningService;
import io.jenkins.plugins.hsmsigning.signing.SigningOutcome;
import io.jenkins.plugins.hsmsigning.signing.SigningRequest;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The freestyle post-build action with a profile that needs approval: a freestyle build cannot give its executor
 * back, so it waits in place, visibly (the console says what is asked and links the approval page; the build page
 * shows the request), until approval, denial, timeout or abort. A controller restart ends a freestyle build, and
 * with it the request.
 */
public final class FreestyleApproval {

    private FreestyleApproval() {
    }

    /** Signs after approval when the request's profile needs it; otherwise signs at once. */
    public static SigningOutcome sign(Run<?, ?> run, TaskListener listener, SigningRequest request)
            throws IOException, InterruptedException {
        ArtifactSigningService service = new ArtifactSigningService(run, listener);
        ApprovalRequest opened = Approvals.open(run, listener, request, UUID.randomUUID().toString(), true);
        if (opened == null) {
            return service.sign(request);
        }
        CompletableFuture<ApprovalRequest> decided = new CompletableFuture<>();
        try {
            Approvals.await(run, opened.id(), (r, events) -> {
                Approvals.log(r, events, listener.getLogger());
                if (r.state().closed()) {
                    decided.complete(r);
                }
            });
            ApprovalRequest outcome = decided.get();
            if (outcome.state() != ApprovalState.APPROVED) {
                throw new AbortException(outcome.failureMessage());
            }
            return service.sign(request, outcome);
        } catch (InterruptedException e) {
            boolean marked = abortedWhileWaiting(run, listener);
            Approvals.withdraw(run, opened.id(), null, "the build was aborted");
            if (marked) {
                throw new AbortException("Aborted while waiting for approval: the signing request was withdrawn and"
                        + " nothing was signed.");
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            Approvals.stopWaiting(opened.id());
        }
    }

    /**
     * Jenkins counts an exception from a post-build action, even an interruption, as a failure: the build that was
     * aborted while it waited for approval is marked with the executor's abort result (and who aborted it) instead.
     * Returns whether it was (false where no executor runs the build, as in a Pipeline).
     */
    private static boolean abortedWhileWaiting(Run<?, ?> run, TaskListener listener) {
        Executor executor = Executor.currentExecutor();
        if (executor == null || executor.getCurrentExecutable() != run) {
            return false;
        }
        run.setResult(executor.abortResult());
        executor.recordCauseOfInterruption(run, listener);
        return true;
    }
}
