package io.jenkins.plugins.hsmsigning.engine.attest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SLSA v1 provenance predicate of a Jenkins build (docs/attestations.md describes each field). The build type is
 * this plugin's: a stable URI that names the meaning of {@code externalParameters} and {@code internalParameters}.
 */
public final class SlsaProvenance {

    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";

    /** Identifies the parameter layout below; a new layout gets a new version, never a changed meaning. */
    public static final String BUILD_TYPE =
            "https://github.com/jenkinsci/hsm-signing-plugin/blob/main/docs/attestations.md#jenkins-build-v1";

    private static final Pattern GIT_COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private SlsaProvenance() {
    }

    public static Statement statement(List<Subject> subjects, BuildFacts facts) {
        return new Statement(subjects, PREDICATE_TYPE, predicate(facts));
    }

    public static ObjectNode predicate(BuildFacts facts) {
        ObjectNode predicate = Statement.JSON.createObjectNode();
        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        definition.set("externalParameters", externalParameters(facts));
        definition.set("internalParameters", internalParameters(facts));
        ArrayNode dependencies = definition.putArray("resolvedDependencies");
        for (BuildFacts.Source source : facts.sources()) {
            ObjectNode dependency = dependencies.addObject();
            if (source.repository() != null) {
                dependency.put("uri", sourceUri(source));
            }
            if (source.commit() != null) {
                String commit = source.commit().toLowerCase(java.util.Locale.ROOT);
                dependency.putObject("digest").put(GIT_COMMIT.matcher(commit).matches() ? "gitCommit" : "revision",
                        source.commit());
            }
        }
        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", facts.builderId());
        if (!facts.versions().isEmpty()) {
            putAll(builder.putObject("version"), facts.versions());
        }
        ObjectNode metadata = run.putObject("metadata");
        if (facts.invocationId() != null) {
            metadata.put("invocationId", facts.invocationId());
        }
        putTime(metadata, "startedOn", facts.startedOn());
        putTime(metadata, "finishedOn", facts.finishedOn());
        return predicate;
    }

    private static ObjectNode externalParameters(BuildFacts facts) {
        ObjectNode external = Statement.JSON.createObjectNode();
        if (facts.job() != null) {
            external.put("job", facts.job());
        }
        if (facts.head() != null) {
            external.put(facts.head().kind(), facts.head().name());
        }
        if (!facts.sources().isEmpty()) {
            ArrayNode sources = external.putArray("sources");
            for (BuildFacts.Source source : facts.sources()) {
                ObjectNode entry = sources.addObject();
                putIfSet(entry, "repository", source.repository());
                putIfSet(entry, "commit", source.commit());
                putIfSet(entry, "ref", source.ref());
            }
        }
        if (!facts.parameters().isEmpty()) {
            putAll(external.putObject("parameters"), facts.parameters());
        }
        return external;
    }

    private static ObjectNode internalParameters(BuildFacts facts) {
        ObjectNode internal = Statement.JSON.createObjectNode();
        if (!facts.versions().isEmpty()) {
            putAll(internal.putObject("versions"), facts.versions());
        }
        putIfSet(internal, "signingProfile", facts.signingProfile());
        if (!facts.causes().isEmpty()) {
            ArrayNode causes = internal.putArray("causes");
            facts.causes().forEach(causes::add);
        }
        return internal;
    }

    /** SLSA's convention for a Git source: {@code git+https://host/repo.git@refs/heads/main}. */
    static String sourceUri(BuildFacts.Source source) {
        String repository = source.repository();
        String uri = repository.startsWith("git+") || !looksLikeGit(repository) ? repository : "git+" + repository;
        return source.ref() == null ? uri : uri + "@" + source.ref();
    }

    private static boolean looksLikeGit(String repository) {
        return repository.startsWith("https://") || repository.startsWith("http://")
                || repository.startsWith("ssh://") || repository.startsWith("git@") || repository.endsWith(".git");
    }

    private static void putAll(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void putTime(ObjectNode node, String field, Instant time) {
        if (time != null) {
            node.put(field, time.truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }
}
