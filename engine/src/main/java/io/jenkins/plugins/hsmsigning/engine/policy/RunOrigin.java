package io.jenkins.plugins.hsmsigning.engine.policy;

import java.util.List;
import java.util.Objects;

/**
 * Where the script of a build came from, as facts a front-end gathered before any key is touched. Every fact may be
 * {@link Fact#UNKNOWN} (a plugin that would know it is missing, or the front-end cannot tell); an origin rule that
 * needs an unknown fact refuses.
 *
 * @param jobKind       what kind of job ran
 * @param scriptFromScm whether the script was read from SCM by the job's definition (not typed into the job)
 * @param replayed      whether the script was supplied by an earlier run (replay, rebuild, restart from a stage)
 * @param repositories  the repository URLs the script came from, as the SCM names them (not normalised; user
 *                      info such as a token in the URL is removed)
 * @param commit        the revision the script came from, if known
 * @param changeRequest whether the build is of a change request (pull or merge request)
 * @param fork          whether that change request comes from a fork of the repository
 */
public record RunOrigin(JobKind jobKind, Fact scriptFromScm, Fact replayed, List<String> repositories, String commit,
        Fact changeRequest, Fact fork) {

    /** Yes, no, or cannot tell. */
    public enum Fact {
        YES, NO, UNKNOWN;

        public static Fact of(boolean value) {
            return value ? YES : NO;
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What kind of job a build belongs to. */
    public enum JobKind {
        /** A branch, tag or change request of a multibranch project: its script comes from the SCM it builds. */
        MULTIBRANCH("multibranch"),
        /** A Pipeline job: its script is inline or "Pipeline script from SCM", as its definition says. */
        PIPELINE("pipeline"),
        /** A job configured in the web UI (freestyle, matrix...): whoever configures it decides what it runs. */
        FREESTYLE("freestyle"),
        /** A kind of job this version cannot tell apart. */
        UNKNOWN("unknown");

        private final String label;

        JobKind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public RunOrigin {
        jobKind = Objects.requireNonNullElse(jobKind, JobKind.UNKNOWN);
        scriptFromScm = Objects.requireNonNullElse(scriptFromScm, Fact.UNKNOWN);
        replayed = Objects.requireNonNullElse(replayed, Fact.UNKNOWN);
        repositories = repositories == null ? List.of()
                : repositories.stream().filter(r -> r != null && !r.isBlank()).map(String::trim)
                        .map(RepositoryUrl::redact).distinct().toList();
        commit = commit == null || commit.isBlank() ? null : commit.trim();
        changeRequest = Objects.requireNonNullElse(changeRequest, Fact.UNKNOWN);
        fork = Objects.requireNonNullElse(fork, Fact.UNKNOWN);
    }

    /** Nothing is known: every origin rule refuses. */
    public static RunOrigin unknown() {
        return new RunOrigin(JobKind.UNKNOWN, Fact.UNKNOWN, Fact.UNKNOWN, List.of(), null, Fact.UNKNOWN,
                Fact.UNKNOWN);
    }

    /** A job configured in the web UI: never from SCM, never replayed, never a change request. */
    public static RunOrigin freestyle() {
        return new RunOrigin(JobKind.FREESTYLE, Fact.NO, Fact.NO, List.of(), null, Fact.NO, Fact.NO);
    }
}
