package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;

import io.jenkins.plugins.hsmsigning.engine.testing.Gpg;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code hsmsign verify} and {@code inspect} on what gpg made: several signers, a clear-signed release file. */
public class VerifyGpgSignaturesTest extends CliTestCase {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private Gpg gpg;
    private String judy;
    private String mallory;

    @Before
    public void makeKeys() throws Exception {
        gpg = Gpg.in(temp.newFolder("g").toPath());
        judy = gpg.generate("Judy <judy@example.org>", "ed25519", "sign", NOW);
        mallory = gpg.generate("Mallory <mallory@example.org>", "nistp256", "sign", NOW);
        Files.write(work.resolve("judy.asc"), gpg.export(judy));
    }

    @After
    public void stopGpg() {
        if (gpg != null) {
            gpg.close();
        }
    }

    @Test
    public void aFileSignedByATrustedAndAnUnknownKeyVerifiesAndListsBoth() throws Exception {
        Path artifact = file("both.bin", "two signers");
        gpg.detachSign(artifact, work.resolve("both.bin.asc"), NOW, List.of(), judy, mallory);

        ToolResult verified = run("verify", "--pgp-key", "judy.asc", "both.bin");

        assertExit(0, verified);
        assertThat(verified.stdout(), containsString("signature: Judy <judy@example.org> (Ed25519 with SHA-"));
        assertThat(verified.stdout(), containsString("key " + mallory.substring(24)));
        assertThat(verified.stdout(), containsString("FAILED UNTRUSTED"));
    }

    @Test
    public void aClearSignedReleaseFileVerifiesAndInspectsWithoutAVerdict() throws Exception {
        Path text = file("Release", "Origin: Example\nSuite: stable\n");
        gpg.clearSign(text, work.resolve("InRelease"), NOW, judy);

        ToolResult verified = run("verify", "--pgp-key", "judy.asc", "InRelease");
        ToolResult inspected = run("inspect", "InRelease");

        assertExit(0, verified);
        assertThat(verified.stdout(), containsString("VERIFIED"));
        assertExit(0, inspected);
        assertThat(inspected.stdout(), containsString("not checked (its key is not known here)"));
        Files.writeString(work.resolve("InRelease"), Files.readString(work.resolve("InRelease"))
                .replace("stable", "stab1e"));
        assertExit(1, run("verify", "--pgp-key", "judy.asc", "InRelease"));
    }
}
