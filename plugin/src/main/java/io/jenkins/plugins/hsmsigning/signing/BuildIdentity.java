package io.jenkins.plugins.hsmsigning.signing;

import hudson.model.Cause;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditRecords;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import io.jenkins.plugins.hsmsigning.origin.RunOrigins;
import io.jenkins.plugins.hsmsigning.origin.ScmHeads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;

/**
 * Who a build is, for the usage policy, the audit log and the report: the job's full name, the build number, the
 * branch, tag or change request of a multibranch job, where its script came from, the id of the user who started
 * it (null when no user did) and the type of its first cause. Never a cause's description: a remote trigger chooses
 * that text.
 */
record BuildIdentity(String job, int build, UsagePolicy.Head head, RunOrigin origin, String userId,
        String causeType) {

    static BuildIdentity of(Run<?, ?> run) {
        Cause.UserIdCause user = run.getCause(Cause.UserIdCause.class);
        List<Cause> causes = run.getCauses();
        return new BuildIdentity(run.getParent().getFullName(), run.getNumber(), ScmHeads.of(run.getParent()),
                RunOrigins.of(run), user == null ? null : user.getUserId(),
                causes.isEmpty() ? null : causes.get(0).getClass().getName());
    }

    /** The user id, else the cause type: how the report names who asked. */
    String requestedBy() {
        return userId != null ? userId : causeType != null ? causeType : "unknown";
    }

    UsagePolicy.Request policyRequest(String profile, boolean overridesFormats, boolean overridesTimestamps) {
        return new UsagePolicy.Request(profile, job, head, overridesFormats, overridesTimestamps, origin);
    }

    AuditRecords.Context auditContext(String profile) {
        return new AuditRecords.Context(job, String.valueOf(build), userId, profile, causeType, origin.commit(),
                null);
    }

    RunContext runContext(Run<?, ?> run, String profile) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("job", job);
        metadata.put("build", String.valueOf(build));
        if (head != null) {
            metadata.put(head.kind() == UsagePolicy.HeadKind.TAG ? "tag" : "branch", head.name());
        }
        if (origin.commit() != null) {
            metadata.put("commit", origin.commit());
        }
        if (!origin.repositories().isEmpty()) {
            metadata.put("repository", String.join(" ", origin.repositories()));
        }
        if (causeType != null) {
            metadata.put("cause", causeType);
        }
        String root = Jenkins.get().getRootUrl();
        metadata.put("url", (root == null ? "" : root) + run.getUrl());
        if (profile != null) {
            metadata.put("profile", profile);
        }
        return RunContext.now(requestedBy(), metadata);
    }
}
