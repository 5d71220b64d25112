package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The demo in its two shapes: in-process with the PKCS#12 fallback forced, and as a separate JVM that finds
 * SoftHSM2 installed and starts itself once more with SOFTHSM2_CONF set for its own token.
 */
public class DemoCommandTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void runsInProcessWithAPkcs12Key() throws Exception {
        ExternalTool.require("openssl");
        Path dir = temp.getRoot().toPath().resolve("demo");

        ToolResult demo = Cli.IN_PROCESS.run(temp.getRoot().toPath(), Map.of(),
                List.of("demo", "--pkcs12", "--dir", "demo"));

        assertEquals(demo.output(), 0, demo.exitCode());
        assertThat(demo.stdout(), containsString("in demo-key.p12"));
        assertDemoResults(demo, dir);
    }

    @Test
    public void runsAsAChildProcessWithASoftHsmToken() throws Exception {
        SoftHsmToken.requireInstalled();
        Path dir = temp.getRoot().toPath().resolve("demo");

        ToolResult demo = Cli.SEPARATE_PROCESS.run(temp.getRoot().toPath(), Map.of(), List.of("demo", "--dir",
                dir.toString()));

        assertEquals(demo.output(), 0, demo.exitCode());
        assertThat(demo.stdout(), containsString("generated on the SoftHSM2 token 'hsmsign-demo'"));
        assertThat(demo.stdout(), containsString("SOFTHSM2_CONF=" + dir.resolve("softhsm/softhsm2.conf")));
        assertDemoResults(demo, dir);
    }

    /** What the demo promises, checked independently: openssl agrees, the report and the page exist. */
    private static void assertDemoResults(ToolResult demo, Path dir) throws Exception {
        assertThat(demo.stdout(), containsString("SIGNED    cms          artifacts/app-1.0.bin.gz"));
        assertThat(demo.stdout(), containsString("VERIFIED  pgp          artifacts/README.txt"));
        assertThat(demo.stdout(), containsString("FAILED    cms          artifacts/README.txt"));
        assertThat(demo.stdout(), containsString("As expected: every signature verified, and the changed byte was "
                + "caught."));
        assertThat(demo.stdout(), containsString("Everything is in " + dir));
        ToolResult intact = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-content", dir.resolve("artifacts/app-1.0.bin.gz").toString(), "-in",
                dir.resolve("artifacts/app-1.0.bin.gz.p7s").toString(), "-CAfile", dir.resolve("ca.pem").toString(),
                "-purpose", "any", "-out", "/dev/null"));
        assertEquals(intact.output(), 0, intact.exitCode());
        ToolResult changed = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-content", dir.resolve("artifacts/README.txt").toString(), "-in",
                dir.resolve("artifacts/README.txt.p7s").toString(), "-CAfile", dir.resolve("ca.pem").toString(),
                "-purpose", "any", "-out", "/dev/null"));
        assertNotEquals(changed.output(), 0, changed.exitCode());
        SignatureReport report = SignatureReport.read(dir.resolve("report.json"));
        assertEquals(2, report.summary().failed());
        assertThat(Files.readString(dir.resolve("report.html")), containsString("<td>artifacts/README.txt (artifacts/README.txt.p7s)</td>"));
        assertThat(Files.readString(dir.resolve("demo-key.asc")), containsString("BEGIN PGP PUBLIC KEY BLOCK"));
    }
}
