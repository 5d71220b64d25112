package io.jenkins.plugins.hsmsigning.engine.report;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

public class FailureTest {

    @Test
    public void everyKindOfExceptionHasItsFailure() {
        assertEquals(Failure.KEY_ERROR, Failure.of(Kind.KEY));
        assertEquals(Failure.TIMESTAMP_MISSING, Failure.of(Kind.TIMESTAMP));
        assertEquals(Failure.CONFIGURATION, Failure.of(Kind.CONFIGURATION));
        assertEquals(Failure.SIGNATURE_INVALID, Failure.of(Kind.VERIFICATION));
        assertEquals(Failure.INPUT_ERROR, Failure.of(Kind.INPUT));
    }

    @Test
    public void theReportDocumentationListsEveryFailureCodeAndStatus() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "signature-report.md"));
        for (Failure failure : Failure.values()) {
            assertThat(docs, containsString("| `" + failure.name() + "` |"));
        }
        for (Status status : Status.values()) {
            assertThat(docs, containsString("`" + status.name() + "`"));
        }
        assertThat(docs, containsString("schema version " + SignatureReport.SCHEMA_VERSION));
    }
}
