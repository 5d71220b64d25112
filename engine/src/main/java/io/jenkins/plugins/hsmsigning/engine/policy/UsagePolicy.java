package io.jenkins.plugins.hsmsigning.engine.policy;

import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.Fact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which builds may use a signing profile: which jobs, where their script comes from ({@link OriginPolicy}), for
 * multibranch jobs which branches, tags or change requests ({@link HeadPattern}), and whether a build may override the
 * profile's formats or time-stamp authorities. Checked before any credential or token is touched. Every rule is
 * checked and recorded ({@link Decision#checks()}); the first failing rule gives the reason.
 */
public record UsagePolicy(List<String> allowedJobs, List<String> allowedBranches, boolean formatsLocked,
        boolean timestampsLocked, OriginPolicy origin) {

    public UsagePolicy {
        allowedJobs = clean(allowedJobs);
        allowedBranches = clean(allowedBranches);
        origin = origin == null ? OriginPolicy.asBefore(allowedJobs.isEmpty()) : origin;
    }

    /** A policy as profiles had before the origin rules: an empty job list allows every job. */
    public UsagePolicy(List<String> allowedJobs, List<String> allowedBranches, boolean formatsLocked,
            boolean timestampsLocked) {
        this(allowedJobs, allowedBranches, formatsLocked, timestampsLocked, null);
    }

    public static UsagePolicy unrestricted() {
        return new UsagePolicy(List.of(), List.of(), false, false, OriginPolicy.asBefore(true));
    }

    /**
     * What a build asks of a profile. {@code head} is what a multibranch job builds, else null; {@code origin} is
     * where its script came from.
     */
    public record Request(String profile, String jobFullName, Head head, boolean overridesFormats,
            boolean overridesTimestamps, RunOrigin origin) {

        public Request {
            origin = origin == null ? RunOrigin.unknown() : origin;
        }

        public Request(String profile, String jobFullName, Head head, boolean overridesFormats,
                boolean overridesTimestamps) {
            this(profile, jobFullName, head, overridesFormats, overridesTimestamps, null);
        }
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

    /**
     * Allowed, or the reason it is not, in one sentence an admin understands; and every rule checked, with its
     * values and verdict.
     */
    public record Decision(boolean allowed, String reason, List<RuleCheck> checks) {

        public Decision {
            checks = checks == null ? List.of() : List.copyOf(checks);
        }

        public Decision(boolean allowed, String reason) {
            this(allowed, reason, List.of());
        }

        /** The decision made from these checks: allowed unless one failed; the first failure is the reason. */
        public static Decision of(List<RuleCheck> checks) {
            for (RuleCheck c : checks) {
                if (c.failed()) {
                    return new Decision(false, c.reason(), checks);
                }
            }
            return new Decision(true, null, checks);
        }

        /** This decision with one more rule checked (such as the TSA allow-list, which the front-end checks). */
        public Decision with(RuleCheck check) {
            List<RuleCheck> all = new ArrayList<>(checks);
            all.add(check);
            return of(all);
        }

        /** The checks as one line each, for the build log. */
        public List<String> describe() {
            return checks.stream().map(RuleCheck::describe).toList();
        }
    }

    public Decision check(Request request) {
        RunOrigin o = request.origin();
        List<RuleCheck> checks = new ArrayList<>();
        checks.add(jobRule(request));
        checks.add(scriptOriginRule(request, o));
        checks.add(replayRule(request, o));
        checks.add(repositoryRule(request, o));
        checks.add(branchRule(request));
        checks.add(forkRule(request, o));
        checks.add(RuleCheck.of("formats", values("locked", formatsLocked, "requestChanges",
                request.overridesFormats()), formatsLocked && request.overridesFormats()
                        ? "The signing profile '" + request.profile() + "' does not allow builds to choose formats:"
                                + " remove the formats parameter from the step." : null));
        checks.add(RuleCheck.of("timestamps", values("locked", timestampsLocked, "requestChanges",
                request.overridesTimestamps()), timestampsLocked && request.overridesTimestamps()
                        ? "The signing profile '" + request.profile() + "' does not allow builds to choose time-stamp"
                                + " authorities: remove the TSA parameter from the step." : null));
        return Decision.of(checks);
    }

    /**
     * Who can use this profile's key beyond the jobs an admin named, as short phrases for the administrative
     * monitor: "every job", "every branch", "inline scripts", "replayed scripts", "change requests from forks".
     */
    public List<String> openings() {
        List<String> open = new ArrayList<>();
        if (origin.anyJob()) {
            open.add("every job");
        }
        if (allowedBranches.isEmpty()) {
            open.add("every branch");
        }
        if (!origin.scriptFromScmOnly()) {
            open.add("inline scripts");
        }
        if (origin.allowReplay()) {
            open.add("replayed scripts");
        }
        if (origin.allowForkChangeRequests()) {
            open.add("change requests from forks");
        }
        return open;
    }

    private RuleCheck jobRule(Request r) {
        Map<String, String> values = values("job", r.jobFullName(), "allowedJobs", list(allowedJobs), "anyJob",
                origin.anyJob());
        if (origin.anyJob()) {
            return RuleCheck.passed("job", values);
        }
        if (allowedJobs.isEmpty()) {
            return RuleCheck.of("job", values, "The signing profile '" + r.profile() + "' allows no job yet: an"
                    + " administrator must list the jobs that may use it (allowed jobs) or choose \"any job\".");
        }
        boolean match = allowedJobs.stream().anyMatch(p -> NamePattern.of(p).matches(r.jobFullName()));
        return RuleCheck.of("job", values, match ? null : "The job '" + r.jobFullName() + "' may not use the"
                + " signing profile '" + r.profile() + "': it allows only jobs matching " + list(allowedJobs) + ".");
    }

    private RuleCheck scriptOriginRule(Request r, RunOrigin o) {
        Map<String, String> values = values("required", origin.scriptFromScmOnly(), "jobKind", o.jobKind(),
                "scriptFromScm", o.scriptFromScm());
        if (!origin.scriptFromScmOnly()) {
            return RuleCheck.notRequired("script-origin", values);
        }
        String rule = "The signing profile '" + r.profile() + "' requires a Pipeline script from SCM";
        String failure = switch (o.jobKind()) {
            case MULTIBRANCH, PIPELINE -> switch (o.scriptFromScm()) {
                case YES -> null;
                case NO -> rule + ", and the script of '" + r.jobFullName() + "' is written into the job"
                        + " (inline): use \"Pipeline script from SCM\" or a multibranch project.";
                case UNKNOWN -> rule + ", and where the script of '" + r.jobFullName() + "' came from is not"
                        + " known (is the Pipeline plugin that defines it installed?), so it is refused.";
            };
            case FREESTYLE -> origin.freestyleJobs().contains(r.jobFullName()) ? null
                    : rule + ", and '" + r.jobFullName() + "' is a job configured in the web UI: an administrator"
                            + " must list it by its full name under freestyle jobs to let it sign.";
            case UNKNOWN -> rule + ", and what kind of job '" + r.jobFullName() + "' is cannot be told, so it"
                    + " is refused.";
        };
        values.put("freestyleJobs", list(origin.freestyleJobs()));
        return RuleCheck.of("script-origin", values, failure);
    }

    private RuleCheck replayRule(Request r, RunOrigin o) {
        Map<String, String> values = values("allowReplay", origin.allowReplay(), "replayed", o.replayed());
        if (origin.allowReplay() || o.replayed() == Fact.NO) {
            return RuleCheck.passed("replay", values);
        }
        return RuleCheck.of("replay", values, o.replayed() == Fact.YES
                ? "The signing profile '" + r.profile() + "' does not allow replayed builds, and this build of '"
                        + r.jobFullName() + "' runs a script taken from an earlier build (replay, rebuild or restart"
                        + " from a stage): start a new build from SCM instead."
                : "The signing profile '" + r.profile() + "' does not allow replayed builds, and whether this build"
                        + " of '" + r.jobFullName() + "' was replayed cannot be told, so it is refused.");
    }

    private RuleCheck repositoryRule(Request r, RunOrigin o) {
        List<String> patterns = origin.allowedRepositories();
        Map<String, String> values = values("allowedRepositories", list(patterns), "repositories",
                list(o.repositories()), "commit", o.commit() == null ? "unknown" : o.commit());
        if (patterns.isEmpty()) {
            return RuleCheck.notRequired("repository", values);
        }
        if (o.repositories().isEmpty()) {
            return RuleCheck.of("repository", values, "The signing profile '" + r.profile() + "' allows only"
                    + " scripts from the repositories " + list(patterns) + ", and the repository the script of '"
                    + r.jobFullName() + "' came from is not known, so it is refused.");
        }
        List<RepositoryPattern> parsed = patterns.stream().map(RepositoryPattern::parse)
                .filter(p -> p != null).toList();
        for (String repository : o.repositories()) {
            if (parsed.stream().noneMatch(p -> p.matches(repository))) {
                return RuleCheck.of("repository", values, "The script of '" + r.jobFullName() + "' came from '"
                        + repository + "', and the signing profile '" + r.profile() + "' allows only scripts from "
                        + list(patterns) + ".");
            }
        }
        return RuleCheck.passed("repository", values);
    }

    private RuleCheck branchRule(Request r) {
        Map<String, String> values = values("allowedBranches", list(allowedBranches), "head",
                r.head() == null ? "none" : r.head().kind().prefix() + r.head().name());
        if (allowedBranches.isEmpty()) {
            return RuleCheck.notRequired("branch", values);
        }
        if (r.head() == null) {
            return RuleCheck.of("branch", values, "The signing profile '" + r.profile() + "' may only be used by"
                    + " the branches, tags or change requests " + list(allowedBranches) + " of multibranch jobs,"
                    + " and the job '" + r.jobFullName() + "' is not one of them.");
        }
        boolean match = allowedBranches.stream().map(HeadPattern::parse)
                .anyMatch(p -> p != null && p.matches(r.head()));
        return RuleCheck.of("branch", values, match ? null : "The " + r.head() + " of '" + r.jobFullName()
                + "' may not use the signing profile '" + r.profile() + "': it allows only " + list(allowedBranches)
                + " (a pattern matches branches unless it starts with tag: or change-request:).");
    }

    private RuleCheck forkRule(Request r, RunOrigin o) {
        Map<String, String> values = values("allowForks", origin.allowForkChangeRequests(), "changeRequest",
                o.changeRequest(), "fork", o.fork());
        if (origin.allowForkChangeRequests()) {
            return RuleCheck.notRequired("fork", values);
        }
        if (o.changeRequest() == Fact.NO || o.changeRequest() == Fact.YES && o.fork() == Fact.NO) {
            return RuleCheck.passed("fork", values);
        }
        return RuleCheck.of("fork", values, o.changeRequest() == Fact.YES && o.fork() == Fact.YES
                ? "The signing profile '" + r.profile() + "' does not allow change requests from forks, and '"
                        + r.jobFullName() + "' builds one."
                : "The signing profile '" + r.profile() + "' does not allow change requests from forks, and"
                        + " whether '" + r.jobFullName() + "' builds one cannot be told, so it is refused.");
    }

    private static Map<String, String> values(Object... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], String.valueOf(keysAndValues[i + 1]));
        }
        return values;
    }

    private static String list(List<String> patterns) {
        return patterns.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    }

    private static List<String> clean(List<String> patterns) {
        return patterns == null ? List.of()
                : patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
    }
}
