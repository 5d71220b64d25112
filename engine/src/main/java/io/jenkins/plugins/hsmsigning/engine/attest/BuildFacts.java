package io.jenkins.plugins.hsmsigning.engine.attest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a front-end knows about the build that produced the artifacts, as plain values: the plugin gathers them from
 * Jenkins, {@code hsmsign attest} from its options. {@link SlsaProvenance} turns them into the predicate. Parameters
 * must already be free of secrets: front-ends leave password and credential parameters out.
 *
 * @param builderId      who built: the Jenkins root URL and the job's path ({@code https://ci.example.org/job/app/})
 * @param invocationId   this build: its URL, or null
 * @param job            the job's full name, or null
 * @param head           the branch, tag or change request of a multibranch job, or null
 * @param sources        the source revisions the build checked out
 * @param parameters     build parameters by name, secrets left out
 * @param causes         why the build ran ("Started by user alice", "Branch indexing")
 * @param versions       the builder's component versions ({@code jenkins}, {@code hsm-signing})
 * @param signingProfile the signing profile whose key signs the provenance, or null
 */
public record BuildFacts(String builderId, String invocationId, String job, Head head, List<Source> sources,
        Map<String, String> parameters, List<String> causes, Map<String, String> versions, String signingProfile,
        Instant startedOn, Instant finishedOn) {

    /** What a multibranch job builds: {@code kind} is {@code branch}, {@code tag} or {@code changeRequest}. */
    public record Head(String kind, String name) {

        public static final String BRANCH = "branch";
        public static final String TAG = "tag";
        public static final String CHANGE_REQUEST = "changeRequest";
    }

    /**
     * A source revision: the repository URL as the SCM knows it, the commit, and the ref checked out if known
     * ({@code refs/heads/main}).
     */
    public record Source(String repository, String commit, String ref) {
    }

    public BuildFacts {
        if (builderId == null || builderId.isBlank()) {
            throw new IllegalArgumentException("a provenance needs a builder id");
        }
        sources = sources == null ? List.of() : List.copyOf(sources);
        parameters = parameters == null ? Map.of() : new TreeMap<>(parameters);
        causes = causes == null ? List.of() : List.copyOf(causes);
        versions = versions == null ? Map.of() : new TreeMap<>(versions);
    }

    public static Builder builder(String builderId) {
        return new Builder(builderId);
    }

    /** Front-ends fill in what they know; everything but the builder id may stay unset. */
    public static final class Builder {

        private final String builderId;
        private String invocationId;
        private String job;
        private Head head;
        private final List<Source> sources = new ArrayList<>();
        private final Map<String, String> parameters = new TreeMap<>();
        private final List<String> causes = new ArrayList<>();
        private final Map<String, String> versions = new TreeMap<>();
        private String signingProfile;
        private Instant startedOn;
        private Instant finishedOn;

        private Builder(String builderId) {
            this.builderId = builderId;
        }

        public Builder invocationId(String id) {
            this.invocationId = id;
            return this;
        }

        public Builder job(String name) {
            this.job = name;
            return this;
        }

        public Builder head(Head h) {
            this.head = h;
            return this;
        }

        public Builder source(String repository, String commit, String ref) {
            Source source = new Source(repository, commit, ref);
            if (!sources.contains(source)) {
                sources.add(source);
            }
            return this;
        }

        public Builder parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        public Builder cause(String cause) {
            causes.add(cause);
            return this;
        }

        public Builder version(String component, String version) {
            if (version != null) {
                versions.put(component, version);
            }
            return this;
        }

        public Builder signingProfile(String profile) {
            this.signingProfile = profile;
            return this;
        }

        public Builder startedOn(Instant time) {
            this.startedOn = time;
            return this;
        }

        public Builder finishedOn(Instant time) {
            this.finishedOn = time;
            return this;
        }

        public BuildFacts build() {
            return new BuildFacts(builderId, invocationId, job, head, sources, parameters, causes, versions,
                    signingProfile, startedOn, finishedOn);
        }
    }
}
