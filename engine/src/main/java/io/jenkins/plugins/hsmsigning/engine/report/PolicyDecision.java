package io.jenkins.plugins.hsmsigning.engine.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import java.util.List;

/**
 * The policy decision of one signing request, as the report keeps it: the profile, whether its key could be used,
 * why not, and every rule checked with its values ({@link RuleCheck}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDecision(String profile, boolean allowed, String reason, List<RuleCheck> checks) {

    public PolicyDecision {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
