package io.jenkins.plugins.hsmsigning.engine.approval;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A build's request to sign exactly these artifacts (path and SHA-256) with a profile that needs approval, and its
 * state machine: pending until {@code required} distinct eligible approvers agree (approved), one of them refuses
 * (denied), the deadline passes (timed out) or the build stops waiting (withdrawn). Every change is an
 * {@link ApprovalEvent} in its history. Thread-safe; the time is always passed in, so tests need no sleeping.
 * Persisted as JSON ({@link #toJson()}), which survives restarts and version changes.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ApprovalRequest {

    /** Longer comments are cut: they are shown in logs and pages, not archived as documents. */
    public static final int MAX_COMMENT = 1000;

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final String id;
    private final ApprovalSubject subject;
    private final List<ArtifactDigest> artifacts;
    private final ApprovalRules rules;
    private final Instant deadline;
    private ApprovalState state;
    private final List<ApprovalEvent> history;

    @JsonCreator
    private ApprovalRequest(@JsonProperty("id") String id, @JsonProperty("subject") ApprovalSubject subject,
            @JsonProperty("artifacts") List<ArtifactDigest> artifacts, @JsonProperty("rules") ApprovalRules rules,
            @JsonProperty("deadline") Instant deadline, @JsonProperty("state") ApprovalState state,
            @JsonProperty("history") List<ApprovalEvent> history) {
        this.id = id;
        this.subject = subject;
        this.artifacts = List.copyOf(artifacts);
        this.rules = rules;
        this.deadline = deadline;
        this.state = state;
        this.history = new ArrayList<>(history == null ? List.of() : history);
    }

    /** A new pending request; its history starts with the {@code REQUESTED} event, by whoever started the build. */
    public static ApprovalRequest open(String id, ApprovalSubject subject, List<ArtifactDigest> artifacts,
            ApprovalRules rules, Instant now) throws SigningException {
        if (!rules.approvalRequired()) {
            throw new SigningException(SigningException.Kind.CONFIGURATION, "Signing profile '" + subject.profile()
                    + "' needs no approval.");
        }
        if (artifacts.isEmpty()) {
            throw new SigningException(SigningException.Kind.INPUT, "There is nothing to approve: no artifact.");
        }
        return new ApprovalRequest(id, subject, artifacts, rules, now.plus(rules.timeout()), ApprovalState.PENDING,
                List.of(new ApprovalEvent(ApprovalEvent.Type.REQUESTED, now, subject.startedBy(),
                        rules.required() + " approval" + (rules.required() == 1 ? "" : "s") + " needed by "
                                + now.plus(rules.timeout()))));
    }

    public String id() {
        return id;
    }

    public ApprovalSubject subject() {
        return subject;
    }

    public List<ArtifactDigest> artifacts() {
        return artifacts;
    }

    public ApprovalRules rules() {
        return rules;
    }

    public Instant deadline() {
        return deadline;
    }

    public synchronized ApprovalState state() {
        return state;
    }

    public synchronized List<ApprovalEvent> history() {
        return List.copyOf(history);
    }

    public synchronized Instant requestedAt() {
        return history.get(0).time();
    }

    /** The distinct users who approved so far, in order. */
    public synchronized List<String> approvers() {
        Set<String> users = new LinkedHashSet<>();
        history.stream().filter(e -> e.type() == ApprovalEvent.Type.APPROVAL).forEach(e -> users.add(e.user()));
        return List.copyOf(users);
    }

    /** Why {@code who} may not approve or deny this request now, or null if they may. */
    public synchronized String whyNot(Approver who, Instant now) {
        if (state.closed()) {
            return "This signing request is " + describe(state) + ".";
        }
        if (!now.isBefore(deadline)) {
            return "This signing request expired at " + deadline + ".";
        }
        return rules.whyNot(who, subject.startedBy(), subject.changeAuthors());
    }

    /** Whether {@code who} is one of the people who may decide this request (whatever its state). */
    public boolean isApprover(Approver who) {
        return whyNotApprover(who) == null;
    }

    /** Why {@code who} is not one of the people who may decide this request (whatever its state), or null. */
    public String whyNotApprover(Approver who) {
        return rules.whyNot(who, subject.startedBy(), subject.changeAuthors());
    }

    /**
     * Records {@code who}'s approval; with the last one needed, the request is approved. Returns the new events.
     */
    public synchronized List<ApprovalEvent> approve(Approver who, String comment, Instant now)
            throws ApprovalRefusal {
        checkMayDecide(who, now);
        if (approvers().contains(who.userId())) {
            throw new ApprovalRefusal(ApprovalRefusal.Reason.ALREADY_APPROVED, "'" + who.userId() + "' already"
                    + " approved this signing request; " + rules.required() + " different approvers are needed.");
        }
        List<ApprovalEvent> events = new ArrayList<>();
        events.add(new ApprovalEvent(ApprovalEvent.Type.APPROVAL, now, who.userId(), clean(comment)));
        history.addAll(events);
        List<String> approvers = approvers();
        if (approvers.size() >= rules.required()) {
            state = ApprovalState.APPROVED;
            ApprovalEvent approved = new ApprovalEvent(ApprovalEvent.Type.APPROVED, now, who.userId(),
                    "approved by " + String.join(", ", approvers));
            history.add(approved);
            events.add(approved);
        }
        return events;
    }

    /** Records {@code who}'s refusal, which ends the request. A denial must say why. */
    public synchronized List<ApprovalEvent> deny(Approver who, String comment, Instant now) throws ApprovalRefusal {
        checkMayDecide(who, now);
        String why = clean(comment);
        if (why == null) {
            throw new ApprovalRefusal(ApprovalRefusal.Reason.COMMENT_REQUIRED, "Say why the signing request is"
                    + " denied: the build fails with that comment.");
        }
        return close(ApprovalState.DENIED, new ApprovalEvent(ApprovalEvent.Type.DENIED, now, who.userId(), why));
    }

    /** Times the request out if it is still pending at its deadline; otherwise changes nothing. */
    public synchronized List<ApprovalEvent> expireIfDue(Instant now) {
        if (state.closed() || now.isBefore(deadline)) {
            return List.of();
        }
        return close(ApprovalState.TIMED_OUT, new ApprovalEvent(ApprovalEvent.Type.TIMED_OUT, now, null,
                approvers().size() + " of " + rules.required() + " approvals by " + deadline + approvalsSoFar()));
    }

    /** The build stopped waiting ({@code by}: who aborted it, if known). Changes nothing unless pending. */
    public synchronized List<ApprovalEvent> withdraw(String by, String reason, Instant now) {
        if (state.closed()) {
            return List.of();
        }
        return close(ApprovalState.WITHDRAWN, new ApprovalEvent(ApprovalEvent.Type.WITHDRAWN, now, by,
                clean(reason)));
    }

    /**
     * Why a build cannot sign with this request: null once approved, else a sentence naming who denied and why,
     * the timeout, or the withdrawal.
     */
    public synchronized String failureMessage() {
        ApprovalEvent last = history.get(history.size() - 1);
        String request = "The signing request for profile '" + subject.profile() + "'";
        return switch (state) {
            case APPROVED -> null;
            case PENDING -> request + " is still waiting for approval.";
            case DENIED -> request + " was denied by " + last.user() + ": " + last.comment() + ". Nothing was signed.";
            case TIMED_OUT -> request + " timed out: " + last.comment() + ". Nothing was signed.";
            case WITHDRAWN -> request + " was withdrawn" + (last.user() == null ? "" : " by " + last.user())
                    + (last.comment() == null ? "" : ": " + last.comment()) + ". Nothing was signed.";
        };
    }

    /**
     * Before an in-place signing run: approved, and for exactly {@code paths}; each read is then checked with
     * {@link #checkRead}.
     */
    public void checkApproved(Collection<String> paths) throws SigningException {
        String failure = failureMessage();
        if (failure != null) {
            throw new SigningException(SigningException.Kind.CONFIGURATION, failure);
        }
        ArtifactDigests.checkSameArtifacts(artifacts, paths);
    }

    /** The SHA-256 (hex) of the very read about to be signed must be the approved one of {@code path}. */
    public void checkRead(String path, String sha256) throws SigningException {
        ArtifactDigests.checkRead(artifacts, path, sha256, "it was not signed.");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("an approval request always serialises", e);
        }
    }

    public static ApprovalRequest fromJson(String json) throws IOException {
        return JSON.readValue(json, ApprovalRequest.class);
    }

    /** Who first: someone who may not decide hears that, whatever the request's state. */
    private void checkMayDecide(Approver who, Instant now) throws ApprovalRefusal {
        String why = whyNotApprover(who);
        if (why != null) {
            throw new ApprovalRefusal(ApprovalRefusal.Reason.NOT_ELIGIBLE, why);
        }
        if (state.closed() || !now.isBefore(deadline)) {
            throw new ApprovalRefusal(ApprovalRefusal.Reason.NOT_PENDING, whyNot(who, now));
        }
    }

    private List<ApprovalEvent> close(ApprovalState newState, ApprovalEvent event) {
        state = newState;
        history.add(event);
        return List.of(event);
    }

    private String approvalsSoFar() {
        List<String> approvers = approvers();
        return approvers.isEmpty() ? " (none received)" : " (received from " + String.join(", ", approvers) + ")";
    }

    private static String describe(ApprovalState state) {
        return switch (state) {
            case PENDING -> "pending";
            case APPROVED -> "already approved";
            case DENIED -> "already denied";
            case TIMED_OUT -> "timed out";
            case WITHDRAWN -> "withdrawn";
        };
    }

    /** Comments end up in console lines and pages: one line, no control characters, bounded. Blank: null. */
    static String clean(String comment) {
        if (comment == null) {
            return null;
        }
        String oneLine = comment.replaceAll("\\p{Cntrl}+", " ").strip();
        if (oneLine.isEmpty()) {
            return null;
        }
        return oneLine.length() <= MAX_COMMENT ? oneLine : oneLine.substring(0, MAX_COMMENT) + "…";
    }

    @Override
    public String toString() {
        return "ApprovalRequest[" + id + ", " + subject.profile() + ", " + state() + "]";
    }
}
