package io.jenkins.plugins.hsmsigning.signing;

import hudson.model.Cause;
import hudson.model.Run;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.profile.AuditRecords;
import io.jenkins.plugins.hsmsigning.engine.report.RunContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;

/**
 * Who a build is, for the usage policy, the audit log and the report: the job's full name, the build number, the
 * branch, tag or change request of a multibranch job, and the user who started it or else what did (its first cause).
 */
record BuildIdentity(String job, int build, UsagePolicy.Head head, String requestedBy) {

    static BuildIdentity of(Run<?, ?> run) {
        return new BuildIdentity(run.getParent().getFullName(), run.getNumber(), ScmBranches.of(run.getParent()),
                requestedBy(run));
    }

    /** The user id of a build a user started, else the first cause ("Started by timer", "Branch indexing"...). */
    private static String requestedBy(Run<?, ?> run) {
        Cause.UserIdCause user = run.getCause(Cause.UserIdCause.class);
        if (user != null && user.getUserId() != null) {
            return user.getUserId();
        }
        List<Cause> causes = run.getCauses();
        return causes.isEmpty() ? "unknown cause" : causes.get(0).getShortDescription();
    }

    UsagePolicy.Request policyRequest(String profile, boolean overridesFormats, boolean overridesTimestamps) {
        return new UsagePolicy.Request(profile, job, head, overridesFormats, overridesTimestamps);
    }

    AuditRecords.Context auditContext(String profile) {
        return new AuditRecords.Context(job, String.valueOf(build), requestedBy, profile);
    }

    RunContext runContext(Run<?, ?> run, String profile) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("job", job);
        metadata.put("build", String.valueOf(build));
        if (head != null) {
            metadata.put(head.kind() == UsagePolicy.HeadKind.TAG ? "tag" : "branch", head.name());
        }
        String root = Jenkins.get().getRootUrl();
        metadata.put("url", (root == null ? "" : root) + run.getUrl());
        if (profile != null) {
            metadata.put("profile", profile);
        }
        return RunContext.now(requestedBy, metadata);
    }
}
