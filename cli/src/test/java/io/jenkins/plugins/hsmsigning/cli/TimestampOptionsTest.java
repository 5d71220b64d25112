package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** --tsa and --[no-]timestamp-required against the engine's loopback time-stamp authority. */
public class TimestampOptionsTest extends CliTestCase {

    private LoopbackTsa tsa;

    @Before
    public void startTsa() {
        tsa = LoopbackTsa.start();
    }

    @After
    public void stopTsa() {
        tsa.close();
    }

    @Test
    public void timestampsWhenATsaIsGiven() throws Exception {
        Path artifact = file("app.txt", "timestamp me");

        ToolResult signed = sign(SoftHsmToken.RSA3072, "--tsa", tsa.url(), "--json", "app.txt");

        assertExit(0, signed);
        ReportEntry entry = SignatureReport.parse(signed.stdout()).entries().get(0);
        assertNotNull(entry.timestamp());
        assertEquals(tsa.url(), entry.timestamp().authority());
        assertEquals(0, openSslVerify(artifact, work.resolve("app.txt.p7s"), token().caPem()).exitCode());
        ToolResult verified = run("verify", "--trust", token().caPem().toString(), "app.txt");
        assertExit(0, verified);
        assertThat(verified.stdout(), not(containsString("not timestamped")));
    }

    @Test
    public void aRequiredTimestampThatCannotBeHadIsAKeyErrorAndAnOptionalOneAWarning() throws Exception {
        Path artifact = file("app.txt", "timestamp me");
        String before = sha256(artifact);
        tsa.mode(LoopbackTsa.Mode.HTTP_ERROR);

        ToolResult required = sign(SoftHsmToken.RSA3072, "--tsa", tsa.url(), "app.txt");

        assertExit(3, required);
        assertThat(required.stdout(), containsString("FAILED    cms          app.txt"));
        assertFalse(Files.exists(work.resolve("app.txt.p7s")));
        assertEquals(before, sha256(artifact));

        ToolResult optional = sign(SoftHsmToken.RSA3072, "--tsa", tsa.url(), "--no-timestamp-required", "app.txt");

        assertExit(0, optional);
        assertThat(optional.stdout(), containsString("warning: "));
        assertThat(optional.stdout(), containsString("1 signed, 0 failed, 1 with warnings"));
    }
}
