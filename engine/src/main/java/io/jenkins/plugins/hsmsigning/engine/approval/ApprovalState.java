package io.jenkins.plugins.hsmsigning.engine.approval;

/** Where a signing request stands. Only {@link #PENDING} changes, and only once. */
public enum ApprovalState {
    PENDING,
    /** Enough distinct eligible approvers agreed: the approved artifacts may be signed. */
    APPROVED,
    /** One eligible approver refused. */
    DENIED,
    /** The timeout passed before enough approvals came. */
    TIMED_OUT,
    /** The build stopped waiting (aborted, or ended). */
    WITHDRAWN;

    public boolean closed() {
        return this != PENDING;
    }
}
