package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.CoreMatchers.not;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.util.HexFormat;
import org.junit.Test;

public class InspectCommandTest extends CliTestCase {

    @Test
    public void showsSignerAndAlgorithmsWithoutJudgingTrust() throws Exception {
        file("app.txt", "inspect me");
        assertExit(0, sign(SoftHsmToken.ECP256, "--format", "cms", "--format", "pgp", "--digest", "SHA-512",
                "app.txt"));

        ToolResult inspected = run("inspect", "app.txt");

        assertExit(0, inspected);
        assertThat(inspected.stdout(), containsString("cms signature in app.txt.p7s"));
        assertThat(inspected.stdout(), containsString("signer     CN=HSM Signing Test ecp256,O=HSM Signing Tests"));
        assertThat(inspected.stdout(), containsString("issuer     CN=HSM Signing Test CA"));
        assertThat(inspected.stdout(), containsString("expires    20"));
        assertThat(inspected.stdout(), containsString("chain      CN=HSM Signing Test CA"));
        assertThat(inspected.stdout(), containsString("digest     SHA-512"));
        assertThat(inspected.stdout(), containsString("timestamp  none"));
        assertThat(inspected.stdout(), containsString("pgp signature in app.txt.asc"));
        assertThat(inspected.stdout(), containsString("not judged"));
        ToolResult json = run("inspect", "--json", "app.txt");
        assertExit(0, json);
        assertEquals(2, SignatureReport.parse(json.stdout()).entries().size());
    }

    @Test
    public void unsignedFileExitsWithOneAndMissingFileWithFour() throws Exception {
        file("plain.txt", "plain");

        ToolResult unsigned = run("inspect", "plain.txt");
        ToolResult missing = run("inspect", "missing.txt");

        assertExit(1, unsigned);
        assertThat(unsigned.stdout(), containsString("No signature found for plain.txt"));
        assertExit(4, missing);
        assertThat(missing.stdout(), containsString("The artifact missing.txt does not exist"));
    }

    @Test
    public void aDosProgramCarriesNoSignatureAndExitsWithOne() throws Exception {
        Files.write(work.resolve("edit.exe"), HexFormat.of().parseHex("4d5a24000100000002000000ffff0000b800000000"
                + "0000001c000000b44ccd21"));

        ToolResult inspected = run("inspect", "edit.exe");

        assertExit(1, inspected);
        assertThat(inspected.stdout(), containsString("edit.exe is a DOS program, not a Windows PE file"));
        assertThat(inspected.stdout(), not(containsString("null")));
    }

    @Test
    public void showsATimestampWhoseAuthorityIsNotJudged() throws Exception {
        file("stamped.txt", "stamped");
        try (LoopbackTsa tsa = LoopbackTsa.start()) {
            assertExit(0, sign(SoftHsmToken.RSA3072, "--format", "cms", "--tsa", tsa.url(), "stamped.txt"));
        }

        ToolResult inspected = run("inspect", "stamped.txt");

        assertExit(0, inspected);
        assertThat(inspected.stdout(), containsString("algorithm  RSA-3072 with SHA-256"));
        assertThat(inspected.stdout(), containsString("by CN=HSM Signing Test TSA"));
    }

    @Test
    public void jsonNeverSaysVerifiedAndSaysWhatWasChecked() throws Exception {
        file("both.txt", "inspect me");
        assertExit(0, sign(SoftHsmToken.RSA3072, "--format", "cms", "--format", "pgp", "both.txt"));

        ToolResult json = run("inspect", "--json", "both.txt");

        assertExit(0, json);
        assertThat(json.stdout(), not(containsString("VERIFIED")));
        assertThat(json.stdout(), not(containsString("UNTRUSTED")));
        SignatureReport report = SignatureReport.parse(json.stdout());
        ReportEntry cms = report.entries().get(0);
        assertEquals(Status.INTACT, cms.status());
        assertEquals("RSA-3072 with SHA-256", cms.signers().get(0).algorithm());
        ReportEntry pgp = report.entries().get(1);
        assertEquals(Status.UNCHECKED, pgp.status());
        assertEquals(2, report.summary().inspected());
        assertEquals(0, report.summary().verified());
    }

    @Test
    public void inspectsSeveralFilesAndGlobs() throws Exception {
        file("dist/a.txt", "a");
        file("dist/b.txt", "b");
        file("plain.txt", "plain");
        assertExit(0, sign(SoftHsmToken.ECP256, "--format", "cms", "dist/a.txt", "dist/b.txt"));

        ToolResult signed = run("inspect", "dist/*.txt");
        ToolResult withUnsigned = run("inspect", "dist/*.txt", "plain.txt");

        assertExit(0, signed);
        assertThat(signed.stdout(), containsString("dist/a.txt:"));
        assertThat(signed.stdout(), containsString("dist/b.txt:"));
        assertThat(signed.stdout(), containsString("ECDSA P-256 with SHA-256"));
        assertThat(signed.stdout(), containsString("intact (matches the file; trust not judged)"));
        assertExit(1, withUnsigned);
        assertThat(withUnsigned.stdout(), containsString("No signature found for plain.txt"));
    }
}
