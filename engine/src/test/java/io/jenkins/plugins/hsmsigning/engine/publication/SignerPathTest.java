package io.jenkins.plugins.hsmsigning.engine.publication;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * With trust anchors configured, nothing is signed whose certificate chain customers could not follow to them; chain
 * file certificates off the signer's path are named in a warning. Results are checked with openssl.
 */
public class SignerPathTest {

    private static TestPki root;
    private static TestPki issuing;
    private static KeyPair pair;
    private static X509Certificate leaf;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void pki() {
        root = TestPki.create("Publication Root");
        issuing = root.intermediate("Publication Issuing CA");
        pair = TestPki.generateEc("secp256r1");
        leaf = issuing.issueCodeSigning(pair.getPublic(), "Publisher");
    }

    @Test
    public void aChainMissingItsIntermediateIsNotSignedAndTheMissingCertificateIsNamed() throws Exception {
        Path file = artifact();
        ReportEntry entry = sign(List.of(), List.of(root.caCertificate()), file);
        assertEquals(Status.FAILED, entry.status());
        assertEquals(Failure.CONFIGURATION, entry.failure());
        assertThat(entry.reason(), containsString("app.bin was not signed"));
        assertThat(entry.reason(), containsString("the issuer certificate CN=Publication Issuing CA,O=HSM Signing "
                + "Tests of CN=Publisher,O=HSM Signing Tests is missing from the chain"));
        assertFalse(Files.exists(file.resolveSibling("app.bin.p7s")));
    }

    @Test
    public void aChainToAnotherRootIsNotSigned() throws Exception {
        Path file = artifact();
        ReportEntry entry = sign(List.of(issuing.caCertificate(), root.caCertificate()),
                List.of(TestPki.create("Other Root").caCertificate()), file);
        assertEquals(Status.FAILED, entry.status());
        assertThat(entry.reason(), containsString("leads to the root CN=Publication Root,O=HSM Signing Tests, which "
                + "is not among the trust anchors (CN=Other Root,O=HSM Signing Tests)"));
    }

    @Test
    public void aCompleteChainIsSignedAndUnrelatedChainCertificatesAreNamed() throws Exception {
        Path file = artifact();
        X509Certificate unrelated = TestPki.create("Unrelated CA").caCertificate();
        ReportEntry entry = sign(List.of(unrelated, issuing.caCertificate()), List.of(root.caCertificate()), file);
        assertEquals(entry.reason(), Status.SIGNED, entry.status());
        assertThat(entry.warnings().toString(), containsString("the certificate chain holds CN=Unrelated CA,O=HSM "
                + "Signing Tests, which is not on the signer's path"));

        ReportEntry verified = new Verifier(VerificationOptions.trusting(List.of(root.caCertificate())))
                .verify(file, "app.bin").get(0);
        assertEquals(verified.reason(), Status.VERIFIED, verified.status());
        ExternalTool.require("openssl");
        Path ca = root.writeCaPem(tmp.getRoot().toPath().resolve("root.pem"));
        ToolResult openssl = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", file + ".p7s", "-content", file.toString(), "-CAfile", ca.toString(), "-purpose", "any",
                "-out", "/dev/null"));
        assertEquals(openssl.output(), 0, openssl.exitCode());
    }

    private ReportEntry sign(List<X509Certificate> chainFile, List<X509Certificate> anchors, Path file)
            throws Exception {
        byte[] p12 = root.pkcs12(pair, new X509Certificate[] {leaf}, "publisher", "pw".toCharArray());
        try (Secret pw = Secret.of("pw".toCharArray());
                SigningKey key = Pkcs12KeySource.of(p12, "publisher.p12").certificateChain(chainFile).open(pw)) {
            List<ReportEntry> entries = new ArtifactSigner(key, SigningOptions.defaults().trustAnchors(anchors)
                    .chainFile(chainFile)).sign(file, "app.bin");
            assertEquals(entries.toString(), 1, entries.size());
            return entries.get(0);
        }
    }

    private Path artifact() throws Exception {
        return Files.writeString(tmp.getRoot().toPath().resolve("app.bin"), "payload\n");
    }
}
