package io.jenkins.plugins.hsmsigning.engine.attest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a consumer may require of a provenance beyond a trusted signature: the builder (Jenkins and job), the source
 * repository and the branch. Null means no requirement. Repositories compare without {@code git+}, a ref, a trailing
 * slash or {@code .git}; branches with or without {@code refs/heads/}.
 */
public record ProvenanceExpectations(String builderId, String sourceRepository, String branch) {

    public static final ProvenanceExpectations NONE = new ProvenanceExpectations(null, null, null);

    public ProvenanceExpectations {
        builderId = blankToNull(builderId);
        sourceRepository = blankToNull(sourceRepository);
        branch = blankToNull(branch);
    }

    /** The first expectation the predicate does not meet, or null. */
    Mismatch check(JsonNode predicate) {
        JsonNode external = predicate.path("buildDefinition").path("externalParameters");
        if (builderId != null) {
            String actual = predicate.path("runDetails").path("builder").path("id").asText(null);
            if (actual == null || !trimSlash(actual).equals(trimSlash(builderId))) {
                return new Mismatch(Failure.BUILDER_MISMATCH, "it was built by " + describe(actual)
                        + ", not by the expected builder " + builderId);
            }
        }
        if (sourceRepository != null) {
            List<String> repositories = repositories(predicate);
            if (repositories.stream().noneMatch(r -> repository(r).equals(repository(sourceRepository)))) {
                return new Mismatch(Failure.SOURCE_MISMATCH, "it was built from "
                        + (repositories.isEmpty() ? "no known repository"
                                : String.join(", ", repositories.stream().map(AttestationVerifier::quoted).toList()))
                        + ", not from the expected repository " + sourceRepository);
            }
        }
        if (branch != null) {
            String actual = external.path(BuildFacts.Head.BRANCH).asText(null);
            if (actual == null || !branchName(actual).equals(branchName(branch))) {
                return new Mismatch(Failure.BRANCH_MISMATCH, "it was built from " + head(external)
                        + ", not from the expected branch " + branch);
            }
        }
        return null;
    }

    record Mismatch(Failure failure, String reason) {
    }

    private static List<String> repositories(JsonNode predicate) {
        List<String> repositories = new ArrayList<>();
        predicate.path("buildDefinition").path("externalParameters").path("sources")
                .forEach(s -> addIfText(repositories, s.path("repository")));
        predicate.path("buildDefinition").path("resolvedDependencies")
                .forEach(d -> addIfText(repositories, d.path("uri")));
        return repositories;
    }

    private static void addIfText(List<String> list, JsonNode node) {
        if (node.isTextual()) {
            list.add(node.asText());
        }
    }

    private static String head(JsonNode external) {
        for (String kind : List.of(BuildFacts.Head.BRANCH, BuildFacts.Head.TAG, BuildFacts.Head.CHANGE_REQUEST)) {
            if (external.path(kind).isTextual()) {
                String name = AttestationVerifier.quoted(external.path(kind).asText());
                return kind.equals(BuildFacts.Head.CHANGE_REQUEST) ? "change request " + name : kind + " " + name;
            }
        }
        return "no named branch";
    }

    static String repository(String uri) {
        String r = uri.trim();
        if (r.startsWith("git+")) {
            r = r.substring(4);
        }
        int ref = r.indexOf("@refs/");
        if (ref >= 0) {
            r = r.substring(0, ref);
        }
        r = trimSlash(r);
        if (r.toLowerCase(Locale.ROOT).endsWith(".git")) {
            r = r.substring(0, r.length() - 4);
        }
        return r;
    }

    private static String branchName(String name) {
        return name.startsWith("refs/heads/") ? name.substring("refs/heads/".length()) : name;
    }

    private static String trimSlash(String s) {
        String t = s.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static String describe(String value) {
        return value == null ? "an unnamed builder" : AttestationVerifier.quoted(value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
