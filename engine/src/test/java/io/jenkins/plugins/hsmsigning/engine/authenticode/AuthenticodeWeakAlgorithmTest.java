package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** An executable osslsigncode signed with SHA-1 is refused by policy ({@code WEAK_ALGORITHM}), not called forged. */
public class AuthenticodeWeakAlgorithmTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aSha1AuthenticodeSignatureIsAWeakAlgorithm() throws Exception {
        ExternalTool.require("osslsigncode");
        Path dir = tmp.getRoot().toPath();
        KeyPair keys = TestPki.generateRsa(3072);
        X509Certificate certificate = TestPki.shared().issueCodeSigning(keys.getPublic(), "Old Release Signing");
        Path cert = Files.writeString(dir.resolve("old.pem"), TestPki.toPem(certificate));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        Path key = Files.writeString(dir.resolve("old.key"), pem.toString());
        Path unsigned = AuthenticodeSamples.PE.copyTo(dir);
        Path signed = dir.resolve("signed.exe");
        ExternalTool.runChecked(List.of("osslsigncode", "sign", "-certs", cert.toString(), "-key", key.toString(),
                "-h", "sha1", "-in", unsigned.toString(), "-out", signed.toString()));

        List<ReportEntry> entries = EmbeddedSigning.verify(signed);

        assertEquals(entries.toString(), 1, entries.size());
        assertEquals(entries.toString(), Failure.WEAK_ALGORITHM, entries.get(0).failure());
        assertThat(entries.get(0).reason(), containsString("SHA-1, which is too weak"));
        assertEquals("RSA-3072 with SHA-1", entries.get(0).algorithm());
    }
}
