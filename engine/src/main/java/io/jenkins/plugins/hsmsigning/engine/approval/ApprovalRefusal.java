package io.jenkins.plugins.hsmsigning.engine.approval;

/** Why an approval or denial was not accepted; the request is unchanged. The message says it for people. */
public final class ApprovalRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The person may not approve this request (front-ends answer 403). */
        NOT_ELIGIBLE,
        /** The request was already decided, withdrawn or is past its timeout. */
        NOT_PENDING,
        /** The person already approved it: k approvals need k people. */
        ALREADY_APPROVED,
        /** A denial must say why. */
        COMMENT_REQUIRED
    }

    private final Reason reason;

    public ApprovalRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
