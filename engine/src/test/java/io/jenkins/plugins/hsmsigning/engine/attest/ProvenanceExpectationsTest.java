package io.jenkins.plugins.hsmsigning.engine.attest;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import org.junit.Test;

/** Builder, repository and branch expectations: met in their usual spellings, and each failure named. */
public class ProvenanceExpectationsTest {

    private final JsonNode predicate = SlsaProvenance.predicate(StatementShapeTest.facts());

    @Test
    public void metInTheSpellingsUsersType() {
        assertNull(new ProvenanceExpectations("https://ci.example.org/job/app/job/main", "https://git.example.org/app",
                "refs/heads/main").check(predicate));
        assertNull(new ProvenanceExpectations(" ", "git+https://git.example.org/app.git", "main").check(predicate));
        assertNull(ProvenanceExpectations.NONE.check(predicate));
    }

    @Test
    public void eachUnmetExpectationHasItsFailure() {
        ProvenanceExpectations.Mismatch builder = new ProvenanceExpectations("https://ci.example.org/job/other/",
                null, null).check(predicate);
        assertEquals(Failure.BUILDER_MISMATCH, builder.failure());
        assertThat(builder.reason(), containsString("built by 'https://ci.example.org/job/app/job/main/', not by the"
                + " expected builder https://ci.example.org/job/other/"));

        ProvenanceExpectations.Mismatch source = new ProvenanceExpectations(null, "https://git.example.org/fork",
                null).check(predicate);
        assertEquals(Failure.SOURCE_MISMATCH, source.failure());
        assertThat(source.reason(), containsString("'https://git.example.org/app.git'"));

        ProvenanceExpectations.Mismatch branch = new ProvenanceExpectations(null, null, "release").check(predicate);
        assertEquals(Failure.BRANCH_MISMATCH, branch.failure());
        assertThat(branch.reason(), containsString("built from branch 'main', not from the expected branch release"));
    }

    @Test
    public void aTagIsNotABranch() {
        JsonNode tagged = SlsaProvenance.predicate(BuildFacts.builder("b")
                .head(new BuildFacts.Head(BuildFacts.Head.TAG, "v1.0")).build());
        ProvenanceExpectations.Mismatch mismatch = new ProvenanceExpectations(null, null, "v1.0").check(tagged);
        assertEquals(Failure.BRANCH_MISMATCH, mismatch.failure());
        assertThat(mismatch.reason(), containsString("built from tag 'v1.0'"));
    }
}
