package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Signs and verifies through the engine's real entry points, and asks osslsigncode for a second opinion. */
public final class EmbeddedSigning {

    private EmbeddedSigning() {
    }

    /** Signs {@code file} through {@link ArtifactSigner}; exactly one report entry is expected. */
    public static ReportEntry sign(SigningKey key, Path file, SigningOptions options) {
        List<ReportEntry> entries = new ArtifactSigner(key, options).sign(file, file.getFileName().toString());
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    /** Verifies {@code file} through {@link Verifier}, trusting the test CA. */
    public static List<ReportEntry> verify(Path file) {
        return new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())))
                .verify(file, file.getFileName().toString());
    }

    /** {@code osslsigncode verify} with the test CA as the only trust anchor, for signer and time-stamp authority. */
    public static ToolResult osslsigncode(Path file) {
        ExternalTool.require("osslsigncode");
        Path ca = TestPki.shared().writeCaPem(file.resolveSibling("osslsigncode-ca.pem"));
        return ExternalTool.run(List.of("osslsigncode", "verify", "-CAfile", ca.toString(), "-TSA-CAfile",
                ca.toString(), "-in", file.toString()));
    }

    /** Time-stamp settings for tests: one attempt per authority; the timeout only guards against a hang. */
    public static TimestampSettings tsa(boolean required, String... urls) throws Exception {
        return TimestampSettings.of(List.of(urls), required).withAttempts(1, Duration.ZERO)
                .withTimeout(Duration.ofMinutes(1));
    }
}
