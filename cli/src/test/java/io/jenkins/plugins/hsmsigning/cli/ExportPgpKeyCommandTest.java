package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.util.List;
import org.junit.Test;

public class ExportPgpKeyCommandTest extends CliTestCase {

    @Test
    public void writesAStableKeyThatGpgImportsWithTheUserId() throws Exception {
        List<String> key = List.of("--pkcs11-library", token().library().toString(), "--slot-list-index",
                Integer.toString(token().slotListIndex()), "--key-alias", SoftHsmToken.ECP256, "--pin-env",
                PIN_VARIABLE);
        ToolResult first = run(concat("export-pgp-key", key, "--user-id", "Release Team <release@example.org>",
                "--out", "keys/release.asc"));
        ToolResult second = run(concat("export-pgp-key", key, "--out", "again.asc"));

        assertExit(0, first);
        assertExit(0, second);
        String fingerprint = first.stdout().replaceAll("(?s).*OpenPGP public key ([0-9A-F]{40}).*", "$1");
        assertThat(second.stdout(), containsString(fingerprint));
        assertThat(Files.readString(work.resolve("keys/release.asc")),
                containsString("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
        ToolResult shown = gpg(gpgHome(), "--with-colons", "--show-keys",
                work.resolve("keys/release.asc").toString());
        assertEquals(shown.output(), 0, shown.exitCode());
        assertThat(shown.stdout(), containsString("fpr:::::::::" + fingerprint + ":"));
        assertThat(shown.stdout(), containsString("Release Team <release@example.org>"));
    }

    private String[] concat(String command, List<String> key, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(command));
        all.addAll(key);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
