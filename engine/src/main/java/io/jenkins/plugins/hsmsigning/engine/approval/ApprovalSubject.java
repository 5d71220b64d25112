package io.jenkins.plugins.hsmsigning.engine.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Set;

/**
 * What approvers are asked about, besides the artifacts: the profile, the job and build, the branch and commit it
 * built (null when unknown), who started it (a user id, or a cause such as "timer" when no user did) and the user
 * ids of the authors of its changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalSubject(String profile, String job, String build, String branch, String commit,
        String startedBy, Set<String> changeAuthors) {

    public ApprovalSubject {
        changeAuthors = changeAuthors == null ? Set.of() : Set.copyOf(changeAuthors);
    }
}
