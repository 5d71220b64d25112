package io.jenkins.plugins.hsmsigning.engine.policy;

import java.util.List;

/**
 * The rules of a profile about where a build's script comes from. A new profile starts with
 * {@link #safeDefaults()}: no job until an admin names jobs or chooses any job, script from SCM only, no replay, no
 * change request from a fork. Profiles saved before these rules existed keep behaving as they did
 * ({@link #asBefore}).
 *
 * @param anyJob                  every job may use the profile (else only the jobs the profile names)
 * @param scriptFromScmOnly       the script must come from SCM: multibranch jobs and "Pipeline script from SCM";
 *                                inline scripts are refused, and jobs configured in the web UI unless listed in
 *                                {@code freestyleJobs}
 * @param allowReplay             builds whose script came from an earlier run (replay, rebuild, restart) may sign
 * @param allowedRepositories     patterns ({@link RepositoryPattern}) the script's repositories must all match;
 *                                empty means any repository
 * @param allowForkChangeRequests change requests from forks may sign (when the branch patterns allow them)
 * @param freestyleJobs           full names of jobs configured in the web UI that may sign although the script
 *                                must come from SCM: exact names, no patterns, so that each is a conscious choice
 */
public record OriginPolicy(boolean anyJob, boolean scriptFromScmOnly, boolean allowReplay,
        List<String> allowedRepositories, boolean allowForkChangeRequests, List<String> freestyleJobs) {

    public OriginPolicy {
        allowedRepositories = clean(allowedRepositories);
        freestyleJobs = clean(freestyleJobs);
    }

    /** What a new profile starts with. */
    public static OriginPolicy safeDefaults() {
        return new OriginPolicy(false, true, false, List.of(), false, List.of());
    }

    /**
     * How profiles behaved before the origin rules: a profile without job patterns allowed every job; scripts of any
     * origin, replays and forks were allowed.
     */
    public static OriginPolicy asBefore(boolean noJobPatterns) {
        return new OriginPolicy(noJobPatterns, false, true, List.of(), true, List.of());
    }

    private static List<String> clean(List<String> values) {
        return values == null ? List.of()
                : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }
}
