package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;

import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Before;
import org.junit.Test;

public class VerifyCommandTest extends CliTestCase {

    private String ca;

    @Before
    public void signTwoArtifacts() throws Exception {
        file("dist/a.txt", "first");
        file("dist/b.bin", "second");
        assertExit(0, sign(SoftHsmToken.RSA3072, "--format", "cms", "--format", "pgp", "dist/*"));
        assertExit(0, run("export-pgp-key", "--pkcs11-library", token().library().toString(), "--slot",
                Long.toString(token().slotId()), "--key-alias", SoftHsmToken.RSA3072, "--pin-env", PIN_VARIABLE,
                "--out", "key.asc"));
        ca = token().caPem().toString();
    }

    @Test
    public void passesWhenEverySignatureVerifies() {
        ToolResult verified = run("verify", "--trust", ca, "--pgp-key", "key.asc", "dist/*");

        assertExit(0, verified);
        assertThat(verified.stdout(), containsString("VERIFIED  cms          dist/a.txt  HSM Signing Test rsa3072"));
        assertThat(verified.stdout(), containsString("VERIFIED  pgp          dist/b.bin  "));
        assertThat(verified.stdout(), containsString("4 verified, 0 failed"));
    }

    @Test
    public void failsWithOneWhenAByteChanged() throws Exception {
        Files.writeString(work.resolve("dist/b.bin"), "secont");

        ToolResult verified = run("verify", "--trust", ca, "--pgp-key", "key.asc", "dist/a.txt", "dist/b.bin");

        assertExit(1, verified);
        assertThat(verified.stdout(), containsString("FAILED    cms          dist/b.bin"));
        assertThat(verified.stdout(), containsString("the artifact was changed after it was signed"));
        assertThat(verified.stdout(), containsString("2 verified, 2 failed"));
    }

    @Test
    public void failsWithOneForAnotherCaAndForAFileWithoutSignature() throws Exception {
        Path otherCa = work.resolve("other-ca.pem");
        TestPki.create("Some Other CA").writeCaPem(otherCa);
        file("unsigned.txt", "nobody signed me");

        assertExit(1, run("verify", "--trust", otherCa.toString(), "dist/a.txt"));
        ToolResult unsigned = run("verify", "--quiet", "--trust", ca, "unsigned.txt");
        assertExit(1, unsigned);
        assertThat(unsigned.stderr(), containsString("No signature found for unsigned.txt"));
    }

    @Test
    public void findsSignaturesUnderTheSignaturesDirectory() throws Exception {
        file("out/c.txt", "third");
        assertExit(0, sign(SoftHsmToken.ECP256, "--out", "sigs", "out/c.txt"));

        assertExit(0, run("verify", "--trust", ca, "--signatures", "sigs", "out/c.txt"));
        assertExit(1, run("verify", "--trust", ca, "out/c.txt"));
    }

    @Test
    public void missingFileIsAnInputError() {
        ToolResult verified = run("verify", "--trust", ca, "--pgp-key", "key.asc", "dist/a.txt", "nowhere.txt");

        assertExit(4, verified);
        assertThat(verified.stdout(), containsString("The artifact nowhere.txt does not exist"));
    }
}
