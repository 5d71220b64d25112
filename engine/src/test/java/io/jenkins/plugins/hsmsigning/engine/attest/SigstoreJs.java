package io.jenkins.plugins.hsmsigning.engine.attest;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Assume;

/**
 * The Sigstore project's JavaScript verifier ({@code @sigstore/verify}), run by node on {@code src/test/node/
 * verify-bundle.js} with key-based trust and no transparency log or timestamp. {@code .ci/run} installs its
 * packages ({@code npm ci}); without node or them the test is skipped, unless
 * {@code -Dhsm.tests.requireNativeTools=true} makes that a failure, as for every other external tool.
 */
final class SigstoreJs {

    static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

    private SigstoreJs() {
    }

    static void require() {
        ExternalTool.require("node");
        boolean installed = Files.isDirectory(DIR.resolve("node_modules/@sigstore/verify"));
        String missing = "@sigstore/verify is not installed: run 'npm ci' in " + DIR + " (.ci/run does)";
        if (Boolean.getBoolean("hsm.tests.requireNativeTools")) {
            if (!installed) {
                throw new AssertionError(missing);
            }
        }
        Assume.assumeTrue(missing, installed);
    }

    /** Verifies {@code bundle} with {@code publicKeyPem}, and that each artifact's SHA-256 is a subject. */
    static ToolResult verify(Path bundle, Path publicKeyPem, Path... artifacts) {
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("verify-bundle.js").toString(),
                bundle.toString(), publicKeyPem.toString()));
        for (Path artifact : artifacts) {
            command.add(artifact.toString());
        }
        return ExternalTool.run(command, Map.of(), DIR, Duration.ofMinutes(1));
    }
}
