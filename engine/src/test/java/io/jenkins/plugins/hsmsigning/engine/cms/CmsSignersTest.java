package io.jenkins.plugins.hsmsigning.engine.cms;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignerVerdict;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** CMS signatures with several signers, made by {@code openssl cms}: every signer listed with its own verdict. */
public class CmsSignersTest {

    private static final TestPki PKI = TestPki.shared();
    private static final TestPki OTHER = TestPki.create("Someone Else's CA");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;
    private List<String> trusted;
    private List<String> unknown;

    @Before
    public void makeSigners() throws Exception {
        ExternalTool.require("openssl");
        dir = tmp.getRoot().toPath();
        KeyPair rsa = TestPki.generateRsa(3072);
        trusted = signer("trusted", rsa, PKI.issueCodeSigning(rsa.getPublic(), "Trusted Release Signing"));
        KeyPair ec = TestPki.generateEc("secp256r1");
        unknown = signer("unknown", ec, OTHER.issueCodeSigning(ec.getPublic(), "Unknown Signer"));
    }

    @Test
    public void aTrustedSignerCarriesTheFileAndTheUnknownOneIsListed() throws Exception {
        Path artifact = artifact("app.bin");
        opensslSign(artifact, "sha256", trusted, unknown);

        ReportEntry entry = verify(artifact, VerificationOptions.trusting(List.of(PKI.caCertificate())));

        assertEquals(entry.toString(), Status.VERIFIED, entry.status());
        assertEquals(2, entry.signers().size());
        SignerVerdict good = by(entry, "Trusted Release Signing");
        assertEquals(Status.VERIFIED, good.status());
        assertEquals("RSA-3072 with SHA-256", good.algorithm());
        assertNotNull(good.signedAt());
        SignerVerdict other = by(entry, "Unknown Signer");
        assertEquals(Status.FAILED, other.status());
        assertEquals(Failure.UNTRUSTED, other.failure());
        assertEquals("ECDSA P-256 with SHA-256", other.algorithm());
        assertThat(entry.warnings().toString(), containsString("Unknown Signer"));
        assertThat(entry.signer().subject(), containsString("Trusted Release Signing"));
    }

    @Test
    public void noTrustedSignerFailsAndListsBoth() throws Exception {
        Path artifact = artifact("nobody.bin");
        opensslSign(artifact, "sha256", trusted, unknown);

        ReportEntry entry = verify(artifact, VerificationOptions.trusting(List.of(
                TestPki.create("Unrelated CA").caCertificate())));

        assertEquals(entry.toString(), Failure.UNTRUSTED, entry.failure());
        assertEquals(2, entry.signers().size());
    }

    @Test
    public void aTamperedArtifactFailsForEverySigner() throws Exception {
        Path artifact = artifact("tampered.bin");
        opensslSign(artifact, "sha256", trusted, unknown);
        Files.writeString(artifact, "changed");

        ReportEntry entry = verify(artifact, VerificationOptions.trusting(List.of(PKI.caCertificate())));

        assertEquals(entry.toString(), Failure.CONTENT_MODIFIED, entry.failure());
        entry.signers().forEach(s -> assertEquals(Failure.CONTENT_MODIFIED, s.failure()));
    }

    @Test
    public void sha1IsRefusedByPolicyNotCalledAForgery() throws Exception {
        Path artifact = artifact("old.bin");
        opensslSign(artifact, "sha1", trusted);

        ReportEntry entry = verify(artifact, VerificationOptions.trusting(List.of(PKI.caCertificate())));

        assertEquals(entry.toString(), Failure.WEAK_ALGORITHM, entry.failure());
        assertEquals("SHA-1", entry.digestAlgorithm());
        assertEquals("RSA-3072 with SHA-1", entry.algorithm());
        assertThat(entry.reason(), containsString("SHA-1, which is too weak"));
    }

    @Test
    public void inspectionCallsBothSignersIntactWithoutATrustVerdict() throws Exception {
        Path artifact = artifact("inspected.bin");
        opensslSign(artifact, "sha384", trusted, unknown);

        ReportEntry entry = verify(artifact, VerificationOptions.inspection());

        assertEquals(entry.toString(), Status.INTACT, entry.status());
        assertNull(entry.failure());
        entry.signers().forEach(s -> assertEquals(Status.INTACT, s.status()));
    }

    /** Signers are a DER SET: their order in the file is the encoding's, not the command line's. */
    private static SignerVerdict by(ReportEntry entry, String commonName) {
        return entry.signers().stream().filter(s -> s.signer().subject().contains(commonName)).findFirst()
                .orElseThrow(() -> new AssertionError(commonName + " not among " + entry.signers()));
    }

    private ReportEntry verify(Path artifact, VerificationOptions options) {
        List<ReportEntry> entries = new Verifier(options).verify(artifact, artifact.getFileName().toString());
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    private void opensslSign(Path artifact, String digest, List<String>... signers) {
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-sign", "-binary", "-md", digest,
                "-in", artifact.toString(), "-outform", "DER", "-out", artifact + ".p7s"));
        for (List<String> signer : signers) {
            command.addAll(signer);
        }
        ExternalTool.runChecked(command);
    }

    private List<String> signer(String name, KeyPair keys, X509Certificate certificate) throws Exception {
        Path cert = Files.writeString(dir.resolve(name + ".pem"), TestPki.toPem(certificate));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
        }
        Path key = Files.writeString(dir.resolve(name + ".key"), pem.toString());
        return List.of("-signer", cert.toString(), "-inkey", key.toString());
    }

    private Path artifact(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "artifact " + name);
    }
}
