package io.jenkins.plugins.hsmsigning.engine.approval;

import java.util.Set;

/**
 * Someone who asks to approve or deny: a user id, the groups the security realm puts them in, and whether they
 * administer the system (who may then be excluded). Null {@code userId}: not logged in.
 */
public record Approver(String userId, Set<String> groups, boolean administrator) {

    public Approver {
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
