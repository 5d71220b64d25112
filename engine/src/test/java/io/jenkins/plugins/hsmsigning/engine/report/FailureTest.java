package io.jenkins.plugins.hsmsigning.engine.report;

import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
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
}
