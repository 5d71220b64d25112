package io.jenkins.plugins.hsmsigning.approval;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalAudit;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalEvent;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRefusal;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRequest;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalSubject;
import io.jenkins.plugins.hsmsigning.engine.approval.Approver;
import io.jenkins.plugins.hsmsigning.engine.approval.ArtifactDigest;
import io.jenkins.plugins.hsmsigning.signing.ApprovalScope;
import io.jenkins.plugins.hsmsigning.signing.AuditTrail;
import io.jenkins.plugins.hsmsigning.signing.SigningRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;

/**
 * The controller's approval requests: opens them (after the profile's policy, with the artifacts' SHA-256), applies
 * every change (approval, denial, timeout, withdrawal) through the engine, persists it on the build, writes it to the
 * audit log and the signature report, and tells whoever waits (a Pipeline step or a freestyle build). Pending
 * requests are indexed in memory for the pending-approvals page; a Pipeline resuming after a restart registers its
 * request again.
 */
public final class Approvals {

    private static final Logger LOGGER = Logger.getLogger(Approvals.class.getName());

    /** Told of every change of a request it waits for, after it was persisted and audited. */
    @FunctionalInterface
    interface Waiter {
        void changed(ApprovalRequest request, List<ApprovalEvent> events);
    }

    /** Request id to the build holding it ({@link Run#getExternalizableId()}), while pending. */
    private static final Map<String, String> PENDING = new ConcurrentHashMap<>();
    private static final Map<String, Waiter> WAITERS = new ConcurrentHashMap<>();
    private static volatile Clock clock = Clock.systemUTC();

    private Approvals() {
    }

    /** Whether the request's profile needs approval before signing (the front-ends then wait for it here). */
    public static boolean needed(SigningRequest request) throws AbortException {
        return ApprovalScope.rules(request).approvalRequired();
    }

    static Instant now() {
        return clock.instant();
    }

    /** Tests move time instead of sleeping; production always uses the system clock. */
    static void useClock(Clock testClock) {
        clock = testClock;
    }

    /**
     * Opens a request for what {@code request} would sign, attached to the build, audited and shown on the console;
     * null when nothing matched and the request allows that (there is nothing to approve). {@code holdsExecutor}:
     * whether the build waits in place (the post-build action) rather than as a Pipeline step that gives its
     * executor back; the console says which.
     */
    @CheckForNull
    static ApprovalRequest open(Run<?, ?> run, TaskListener listener, SigningRequest request, String id,
            boolean holdsExecutor) throws IOException, InterruptedException {
        ApprovalScope.Prepared prepared = ApprovalScope.prepare(run, listener, request);
        if (prepared.artifacts().isEmpty()) {
            return null;
        }
        checkAuditLog();
        ApprovalSubject subject = new ApprovalSubject(prepared.profile(), prepared.job(), prepared.build(),
                prepared.branch(), JenkinsIdentities.commit(run), JenkinsIdentities.startedBy(run),
                JenkinsIdentities.changeAuthors(run));
        ApprovalRequest opened;
        try {
            opened = ApprovalRequest.open(id, subject, prepared.artifacts(), prepared.rules(), now());
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        }
        ApprovalAction.of(run).add(opened);
        PENDING.put(opened.id(), run.getExternalizableId());
        recorded(run, opened, opened.history(), listener);
        describe(run, opened, holdsExecutor, listener.getLogger());
        return opened;
    }

    /** Approval or denial by the current user, from the approval page or the REST API. */
    static void decide(Run<?, ?> run, String id, boolean approve, String comment) throws ApprovalRefusal,
            IOException, InterruptedException {
        ApprovalRequest request = ApprovalAction.of(run).get(id);
        if (request == null) {
            throw new ApprovalRefusal(ApprovalRefusal.Reason.NOT_PENDING, "This build has no signing request "
                    + id + ".");
        }
        Approver who = JenkinsIdentities.current();
        String notApprover = request.whyNotApprover(who);
        if (notApprover != null) {
            throw new ApprovalRefusal(ApprovalRefusal.Reason.NOT_ELIGIBLE, notApprover);
        }
        if (!run.isBuilding()) {
            withdraw(run, id, null, "the build ended while waiting");
            throw new ApprovalRefusal(ApprovalRefusal.Reason.NOT_PENDING, "The build is no longer running.");
        }
        Instant now = now();
        List<ApprovalEvent> events = ApprovalAction.of(run).update(id, r -> approve ? r.approve(who, comment, now)
                : r.deny(who, comment, now));
        changed(run, id, events);
    }

    /** Times the request out if it is due (the timer, and tests that moved the clock). */
    static void expireIfDue(Run<?, ?> run, String id) throws IOException, InterruptedException {
        Instant now = now();
        changed(run, id, ApprovalAction.of(run).update(id, r -> r.expireIfDue(now)));
    }

    /** The build stopped waiting: aborted ({@code by} who, if known) or ended. No change unless pending. */
    static void withdraw(Run<?, ?> run, String id, @CheckForNull String by, String reason) {
        Instant now = now();
        try {
            changed(run, id, ApprovalAction.of(run).update(id, r -> r.withdraw(by, reason, now)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not withdraw signing request " + id + " of " + run, e);
        }
    }

    /** Every pending request whose timeout has passed, on any build: for tests that moved the clock. */
    static void expireAllDue() throws IOException, InterruptedException {
        try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
            for (Map.Entry<String, String> e : PENDING.entrySet()) {
                Run<?, ?> run = Run.fromExternalizableId(e.getValue());
                if (run != null) {
                    expireIfDue(run, e.getKey());
                }
            }
        }
    }

    /**
     * Waits for changes of a request: {@code waiter} hears of each one, and at once of the current state, so that a
     * change made before it registered (while the controller restarted, say) is not missed.
     */
    static void await(Run<?, ?> run, String id, Waiter waiter) throws IOException {
        ApprovalRequest request = ApprovalAction.of(run).get(id);
        if (request == null) {
            throw new AbortException("The signing request " + id + " of " + run.getFullDisplayName()
                    + " was never completed (the controller stopped while it was being made); nothing was signed."
                    + " Run the build again.");
        }
        WAITERS.put(id, waiter);
        if (request.state().closed()) {
            PENDING.remove(id);
        } else {
            PENDING.put(id, run.getExternalizableId());
            scheduleTimeout(run, request);
        }
        waiter.changed(request, List.of());
    }

    static void stopWaiting(String id) {
        WAITERS.remove(id);
    }

    /** The build ended: whatever it still waited for is withdrawn. */
    static void buildEnded(Run<?, ?> run) {
        ApprovalAction action = run.getAction(ApprovalAction.class);
        if (action == null) {
            return;
        }
        for (ApprovalRequest request : action.getRequests()) {
            if (!request.state().closed()) {
                stopWaiting(request.id());
                withdraw(run, request.id(), null, "the build ended without a decision");
            }
        }
    }

    /** The pending requests of this controller, as build ids by request id. */
    static Map<String, String> pending() {
        return Map.copyOf(PENDING);
    }

    private static void changed(Run<?, ?> run, String id, List<ApprovalEvent> events) throws IOException,
            InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        ApprovalRequest request = ApprovalAction.of(run).get(id);
        if (request.state().closed()) {
            PENDING.remove(id);
        }
        recorded(run, request, events, TaskListener.NULL);
        Waiter waiter = WAITERS.get(id);
        if (waiter != null) {
            waiter.changed(request, events);
        }
    }

    /** The audit log first (a change that cannot be audited fails loudly), then the signature report. */
    private static void recorded(Run<?, ?> run, ApprovalRequest request, List<ApprovalEvent> events,
            TaskListener listener) throws IOException, InterruptedException {
        AuditTrail.append(ApprovalAudit.records(request, events));
        ApprovalScope.record(run, request, events, listener);
    }

    private static void scheduleTimeout(Run<?, ?> run, ApprovalRequest request) {
        String runId = run.getExternalizableId();
        long delay = Math.max(0, Duration.between(now(), request.deadline()).toMillis()) + 1000;
        Timer.get().schedule(() -> {
            Run<?, ?> r = Run.fromExternalizableId(runId);
            if (r != null) {
                try {
                    expireIfDue(r, request.id());
                } catch (IOException | InterruptedException | RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Could not time out signing request " + request.id() + " of " + r, e);
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private static void checkAuditLog() throws AbortException {
        try {
            AuditTrail.checkWritable();
        } catch (IOException e) {
            throw new AbortException("The signing audit log " + AuditTrail.log().file() + " cannot be written ("
                    + e.getMessage() + "), so no approval is asked for and nothing is signed.");
        }
    }

    /** What is asked, on the console: profile, artifacts and SHA-256, build, branch, commit, starter, link. */
    private static void describe(Run<?, ?> run, ApprovalRequest request, boolean holdsExecutor, PrintStream log) {
        ApprovalSubject s = request.subject();
        log.println("Signing profile '" + s.profile() + "' needs " + request.rules().required() + " approval"
                + (request.rules().required() == 1 ? "" : "s") + " before signing these artifacts:");
        for (ArtifactDigest a : request.artifacts()) {
            log.println("  " + a.path() + "  SHA-256 " + a.sha256());
        }
        log.println("Job " + s.job() + " #" + s.build() + (s.branch() == null ? "" : ", branch " + s.branch())
                + (s.commit() == null ? "" : ", commit " + s.commit()) + ", started by " + s.startedBy()
                + (s.changeAuthors().isEmpty() ? "" : ", changes by " + String.join(", ", s.changeAuthors()))
                + ".");
        log.println("Waiting for approval until " + request.deadline()
                + (holdsExecutor ? " (the build waits in place, keeping its executor): "
                        : " without holding an executor: ")
                + HyperlinkNote.encodeTo("/" + run.getUrl() + ApprovalAction.URL_NAME + "/",
                        "approve or deny") + " (pending requests: "
                + HyperlinkNote.encodeTo("/" + PendingApprovalsLink.URL_NAME + "/", "signing approvals") + ").");
    }

    /** One console line per approval, for the build that waits. */
    static void log(ApprovalRequest request, List<ApprovalEvent> events, PrintStream log) {
        for (ApprovalEvent e : events) {
            switch (e.type()) {
                case APPROVAL -> log.println("Signing request approved by " + e.user() + " ("
                        + request.approvers().size() + " of " + request.rules().required() + ")"
                        + (e.comment() == null ? "." : ": " + e.comment()));
                case APPROVED -> log.println("Signing request approved (" + e.comment() + ").");
                default -> {
                    // A denial, timeout or withdrawal fails the step with its message; no need to say it twice.
                }
            }
        }
    }
}
