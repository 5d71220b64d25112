package io.jenkins.plugins.hsmsigning.engine.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which jobs, and for multibranch jobs which branches, tags or change requests ({@link HeadPattern}), may use a
 * signing profile, and whether a build may override the profile's formats or time-stamp authorities. Checked before
 * the token is touched. An empty job list allows every job; an empty branch list allows every job and head.
 */
public record UsagePolicy(List<String> allowedJobs, List<String> allowedBranches, boolean formatsLocked,
        boolean timestampsLocked) {

    public UsagePolicy {
        allowedJobs = clean(allowedJobs);
        allowedBranches = clean(allowedBranches);
    }

    public static UsagePolicy unrestricted() {
        return new UsagePolicy(List.of(), List.of(), false, false);
    }

    /** What a build asks of a profile. {@code head} is what a multibranch job builds, else null. */
    public record Request(String profile, String jobFullName, Head head, boolean overridesFormats,
            boolean overridesTimestamps) {
    }

    /** What a job of a multibranch project builds. */
    public enum HeadKind {
        BRANCH("branch", "branch:"), TAG("tag", "tag:"), CHANGE_REQUEST("change request", "change-request:");

        private final String label;
        private final String prefix;

        HeadKind(String label, String prefix) {
            this.label = label;
            this.prefix = prefix;
        }

        /** How the policy's patterns name this kind. */
        public String prefix() {
            return prefix;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** A branch, tag or change request by the name its multibranch project gives it. */
    public record Head(String name, HeadKind kind) {
        @Override
        public String toString() {
            return kind + " '" + name + "'";
        }
    }

    /** Allowed, or the reason it is not, in one sentence an admin understands. */
    public record Decision(boolean allowed, String reason) {
        static Decision allow() {
            return new Decision(true, null);
        }

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    public Decision check(Request request) {
        if (!allowedJobs.isEmpty() && allowedJobs.stream().noneMatch(p -> NamePattern.of(p).matches(request.jobFullName()))) {
            return Decision.deny("The job '" + request.jobFullName() + "' may not use the signing profile '"
                    + request.profile() + "': it allows only jobs matching " + list(allowedJobs) + ".");
        }
        if (!allowedBranches.isEmpty()) {
            if (request.head() == null) {
                return Decision.deny("The signing profile '" + request.profile() + "' may only be used by the "
                        + "branches, tags or change requests " + list(allowedBranches) + " of multibranch jobs, and "
                        + "the job '" + request.jobFullName() + "' is not one of them.");
            }
            if (allowedBranches.stream().map(HeadPattern::parse).noneMatch(p -> p != null
                    && p.matches(request.head()))) {
                return Decision.deny("The " + request.head() + " of '" + request.jobFullName() + "' may not use "
                        + "the signing profile '" + request.profile() + "': it allows only " + list(allowedBranches)
                        + " (a pattern matches branches unless it starts with tag: or change-request:).");
            }
        }
        if (formatsLocked && request.overridesFormats()) {
            return Decision.deny("The signing profile '" + request.profile()
                    + "' does not allow builds to choose formats: remove the formats parameter from the step.");
        }
        if (timestampsLocked && request.overridesTimestamps()) {
            return Decision.deny("The signing profile '" + request.profile()
                    + "' does not allow builds to choose time-stamp authorities: remove the TSA parameter from the step.");
        }
        return Decision.allow();
    }

    private static String list(List<String> patterns) {
        return patterns.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    }

    private static List<String> clean(List<String> patterns) {
        return patterns == null ? List.of()
                : patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
    }
}
