package io.jenkins.plugins.hsmsigning.engine.jar;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.revocation.RevocationChecker;
import io.jenkins.plugins.hsmsigning.engine.verify.SystemTrust;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.X509Options;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A real vendor-signed JAR: Bouncy Castle's bcpkix, the engine's own dependency, signed by "Legion of the Bouncy
 * Castle" under Oracle's JCE Code Signing CA and timestamped by DigiCert. Its timestamp chains to a root among the
 * Java runtime's CAs; its signer does not, and verifies only when its root is a trust anchor.
 */
public class VendorJarTrustTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aVendorJarVerifiesWithTheRuntimeCasForItsTimestamp() throws Exception {
        Path jar = Files.copy(Path.of(X509CertificateHolder.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()), tmp.getRoot().toPath().resolve("bcpkix.jar"));
        X509Certificate vendorRoot = rootOfSigner(jar);
        List<X509Certificate> system = SystemTrust.anchors();

        ReportEntry systemOnly = verify(jar, system, List.of());
        assertEquals(systemOnly.reason(), Failure.UNTRUSTED, systemOnly.failure());
        assertThat(systemOnly.reason(), containsString("Legion of the Bouncy Castle"));

        ReportEntry vendorRootWithoutTsaAnchors = verify(jar, List.of(vendorRoot), List.of());
        assertEquals(vendorRootWithoutTsaAnchors.reason(), Failure.TIMESTAMP_INVALID,
                vendorRootWithoutTsaAnchors.failure());

        ReportEntry verified = verify(jar, List.of(vendorRoot), system);
        assertEquals(verified.reason(), Status.VERIFIED, verified.status());
        assertNotNull(verified.timestamp());
        assertThat(verified.timestamp().authority(), containsString("DigiCert"));
    }

    private static ReportEntry verify(Path jar, List<X509Certificate> anchors, List<X509Certificate> tsaAnchors) {
        List<ReportEntry> entries = new Verifier(VerificationOptions.trusting(anchors).withX509(new X509Options(
                List.of(), tsaAnchors, RevocationChecker.off()))).verify(jar, "bcpkix.jar");
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    /** The last certificate of the path the JAR's signer carries: what a user would download and trust. */
    private static X509Certificate rootOfSigner(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        in.readAllBytes();
                    }
                    CodeSigner[] signers = entry.getCodeSigners();
                    List<? extends java.security.cert.Certificate> path = signers[0].getSignerCertPath()
                            .getCertificates();
                    return (X509Certificate) path.get(path.size() - 1);
                }
            }
        }
        throw new AssertionError("no signed class in " + jar);
    }
}
