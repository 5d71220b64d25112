package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;

import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/** Every kind Authenticode signs, signed on the token through the engine, verified by the engine and osslsigncode. */
@RunWith(Parameterized.class)
public class AuthenticodeEveryFormatTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<AuthenticodeSamples> samples() {
        return Arrays.asList(AuthenticodeSamples.values());
    }

    @Parameterized.Parameter
    public AuthenticodeSamples sample;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static SigningKey rsa;
    private static LoopbackTsa tsa;

    @BeforeClass
    public static void open() throws Exception {
        rsa = TestKeys.open(SoftHsmToken.RSA3072);
        tsa = LoopbackTsa.start();
    }

    @AfterClass
    public static void close() {
        if (rsa != null) { // null when @BeforeClass skipped the class
            rsa.close();
        }
        if (tsa != null) {
            tsa.close();
        }
    }

    @Test
    public void signedWithTheTokenAndTimestampedIsAcceptedByTheEngineAndOsslsigncode() throws Exception {
        Path file = sample.copyTo(tmp.getRoot().toPath());
        String before = Artifacts.sha256(file);
        ReportEntry signed = EmbeddedSigning.sign(rsa, file, SigningOptions.defaults()
                .formats(Set.of(Format.AUTHENTICODE)).timestamps(EmbeddedSigning.tsa(true, tsa.url())));
        assertEquals(signed.reason(), Status.SIGNED, signed.status());
        assertEquals("authenticode", signed.format());
        String digest = sample == AuthenticodeSamples.MSIX ? "SHA-512" : sample == AuthenticodeSamples.BUNDLE
                ? "SHA-384" : "SHA-256";
        assertEquals("packages are signed with their block map's hash method", digest, signed.digestAlgorithm());
        assertEquals(tsa.url(), signed.timestamp().authority());
        assertNotEquals(before, Artifacts.sha256(file));

        List<ReportEntry> verified = EmbeddedSigning.verify(file);
        assertEquals(verified.toString(), 1, verified.size());
        assertEquals(verified.get(0).reason(), Status.VERIFIED, verified.get(0).status());
        assertNotNull(verified.get(0).timestamp());
        assertEquals(digest.replace("-", "") + "withRSA", verified.get(0).signatureAlgorithm());

        Path auto = sample.copyTo(tmp.newFolder().toPath());
        String expected = sample.detachedUnderAuto() ? "cms" : "authenticode";
        assertEquals("auto signs JavaScript, VBScript and WSF detached, everything else in place", expected,
                EmbeddedSigning.sign(rsa, auto, SigningOptions.defaults()).format());

        if (sample.osslsigncode()) {
            ToolResult result = EmbeddedSigning.osslsigncode(file);
            assertEquals(result.output(), 0, result.exitCode());
            assertThat(result.output(), containsString("Timestamp Server Signature verification: ok"));
        }
    }
}
