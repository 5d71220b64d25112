package io.jenkins.plugins.hsmsigning.engine.attest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

/** The statement and SLSA provenance exactly as consumers read them: field names, nesting and order. */
public class StatementShapeTest {

    static final String SHA_APP = "6a3c0b6e2a3c1f0a0d3e3b1a6c2e9f8d7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d";
    static final String SHA_LIB = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    static BuildFacts facts() {
        return BuildFacts.builder("https://ci.example.org/job/app/job/main/")
                .invocationId("https://ci.example.org/job/app/job/main/42/")
                .job("app/main")
                .head(new BuildFacts.Head(BuildFacts.Head.BRANCH, "main"))
                .source("https://git.example.org/app.git", COMMIT, "refs/heads/main")
                .parameter("RELEASE", "true")
                .cause("Branch indexing")
                .version("jenkins", "2.504.3")
                .version("hsm-signing", "0.1.0")
                .signingProfile("release")
                .startedOn(Instant.parse("2026-12-07T10:00:00.250Z"))
                .finishedOn(Instant.parse("2026-12-07T10:05:00Z"))
                .build();
    }

    @Test
    public void slsaProvenanceStatementHasTheDocumentedShape() {
        Statement statement = SlsaProvenance.statement(List.of(new Subject("dist/app.jar", SHA_APP.toUpperCase()),
                new Subject("dist/lib.so", SHA_LIB)), facts());
        String expected = "{\"_type\":\"https://in-toto.io/Statement/v1\","
                + "\"subject\":[{\"name\":\"dist/app.jar\",\"digest\":{\"sha256\":\"" + SHA_APP + "\"}},"
                + "{\"name\":\"dist/lib.so\",\"digest\":{\"sha256\":\"" + SHA_LIB + "\"}}],"
                + "\"predicateType\":\"https://slsa.dev/provenance/v1\","
                + "\"predicate\":{"
                + "\"buildDefinition\":{"
                + "\"buildType\":\"" + SlsaProvenance.BUILD_TYPE + "\","
                + "\"externalParameters\":{\"job\":\"app/main\",\"branch\":\"main\","
                + "\"sources\":[{\"repository\":\"https://git.example.org/app.git\",\"commit\":\"" + COMMIT + "\","
                + "\"ref\":\"refs/heads/main\"}],"
                + "\"parameters\":{\"RELEASE\":\"true\"}},"
                + "\"internalParameters\":{\"versions\":{\"hsm-signing\":\"0.1.0\",\"jenkins\":\"2.504.3\"},"
                + "\"signingProfile\":\"release\",\"causes\":[\"Branch indexing\"]},"
                + "\"resolvedDependencies\":[{\"uri\":\"git+https://git.example.org/app.git@refs/heads/main\","
                + "\"digest\":{\"gitCommit\":\"" + COMMIT + "\"}}]},"
                + "\"runDetails\":{"
                + "\"builder\":{\"id\":\"https://ci.example.org/job/app/job/main/\","
                + "\"version\":{\"hsm-signing\":\"0.1.0\",\"jenkins\":\"2.504.3\"}},"
                + "\"metadata\":{\"invocationId\":\"https://ci.example.org/job/app/job/main/42/\","
                + "\"startedOn\":\"2026-12-07T10:00:00Z\",\"finishedOn\":\"2026-12-07T10:05:00Z\"}}}}";
        assertEquals(expected, new String(statement.toJson(), StandardCharsets.UTF_8));
    }

    @Test
    public void aBuildWithoutSourceOrParametersLeavesThemOut() {
        BuildFacts bare = BuildFacts.builder("https://ci.example.org/job/nightly/").build();
        String json = new String(SlsaProvenance.statement(List.of(new Subject("a", SHA_LIB)), bare).toJson(),
                StandardCharsets.UTF_8);
        assertEquals("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":"
                + "{\"sha256\":\"" + SHA_LIB + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\","
                + "\"predicate\":{\"buildDefinition\":{\"buildType\":\"" + SlsaProvenance.BUILD_TYPE + "\","
                + "\"externalParameters\":{},\"internalParameters\":{},\"resolvedDependencies\":[]},"
                + "\"runDetails\":{\"builder\":{\"id\":\"https://ci.example.org/job/nightly/\"},\"metadata\":{}}}}",
                json);
    }

    @Test
    public void aStatementReadsBackAsWritten() throws IOException {
        Statement statement = SlsaProvenance.statement(List.of(new Subject("dist/app.jar", SHA_APP)), facts());
        Statement read = Statement.parse(statement.toJson());
        assertEquals(statement.subjects(), read.subjects());
        assertEquals(SlsaProvenance.PREDICATE_TYPE, read.predicateType());
        assertEquals(statement.predicate(), read.predicate());
    }

    @Test
    public void statementsThatCannotBeCheckedAreRefused() {
        for (String json : List.of("[]", "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"name\":"
                + "\"a\",\"digest\":{\"sha256\":\"" + SHA_LIB + "\"}}],\"predicateType\":\"x\"}",
                "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"x\"}",
                "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":"
                        + "{\"sha512\":\"00\"}}],\"predicateType\":\"x\"}",
                "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":"
                        + "{\"sha256\":\"" + SHA_LIB + "\"}}],\"subject\":[],\"predicateType\":\"x\"}")) {
            assertThrows(json, IOException.class, () -> Statement.parse(json.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    public void sourceUrisFollowSlsaGitConvention() {
        assertEquals("git+https://h/r.git@refs/tags/v1",
                SlsaProvenance.sourceUri(new BuildFacts.Source("https://h/r.git", COMMIT, "refs/tags/v1")));
        assertEquals("git+ssh://h/r", SlsaProvenance.sourceUri(new BuildFacts.Source("ssh://h/r", COMMIT, null)));
        assertEquals("svn://h/r", SlsaProvenance.sourceUri(new BuildFacts.Source("svn://h/r", "1234", null)));
        String json = new String(SlsaProvenance.predicate(BuildFacts.builder("b").source("svn://h/r", "1234", null)
                .build()).toString());
        assertFalse(json, json.contains("gitCommit"));
    }
}
