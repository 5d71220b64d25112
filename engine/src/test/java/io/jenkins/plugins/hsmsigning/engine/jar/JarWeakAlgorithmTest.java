package io.jenkins.plugins.hsmsigning.engine.jar;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.authenticode.EmbeddedSigning;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A JAR that jarsigner signed with SHA-1 is refused by policy ({@code WEAK_ALGORITHM}), not called forged. */
public class JarWeakAlgorithmTest {

    private static final String PASSWORD = "changeit";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aSha1SignedJarIsAWeakAlgorithmNotAnInvalidSignature() throws Exception {
        ExternalTool.require("jarsigner");
        Path dir = tmp.getRoot().toPath();
        Path jar = JarSamples.archive(dir, "jar");
        KeyPair keys = TestPki.generateRsa(3072);
        X509Certificate certificate = TestPki.shared().issueCodeSigning(keys.getPublic(), "Old Release Signing");
        Path store = Files.write(dir.resolve("old.p12"), TestPki.shared().pkcs12(keys,
                new X509Certificate[] {certificate, TestPki.shared().caCertificate()}, "old", PASSWORD.toCharArray()));
        ExternalTool.runChecked(List.of("jarsigner", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-digestalg", "SHA-1", "-sigalg", "SHA1withRSA", jar.toString(), "old"));

        List<ReportEntry> entries = EmbeddedSigning.verify(jar);

        assertEquals(entries.toString(), 1, entries.size());
        assertEquals(entries.toString(), Failure.WEAK_ALGORITHM, entries.get(0).failure());
        assertThat(entries.get(0).reason(), containsString("SHA-1"));
    }
}
