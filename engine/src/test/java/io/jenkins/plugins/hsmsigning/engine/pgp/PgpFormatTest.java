package io.jenkins.plugins.hsmsigning.engine.pgp;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PgpFormatTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void gpgVerifiesRsaAndEcSignaturesWithTheExportedKey() throws Exception {
        ExternalTool.require("gpg");
        for (String alias : List.of(SoftHsmToken.RSA3072, SoftHsmToken.ECP256)) {
            for (DigestAlgorithm digest : DigestAlgorithm.values()) {
                Path artifact = Artifacts.random(tmp.getRoot().toPath(), alias + digest + ".tar.gz", 200_000);
                String key;
                try (SigningKey signingKey = TestKeys.open(alias)) {
                    ReportEntry entry = new ArtifactSigner(signingKey, options().digest(digest))
                            .sign(artifact, artifact.getFileName().toString()).get(0);
                    assertEquals(entry.reason(), Status.SIGNED, entry.status());
                    key = PgpKeys.exportArmored(signingKey, null);
                }
                Path home = gpgHome(key);
                ToolResult result = gpg(home, "--verify", asc(artifact).toString(), artifact.toString());
                assertEquals(result.output(), 0, result.exitCode());
                assertThat(result.output(), containsString("Good signature"));
                List<ReportEntry> verified = verifier(key).verify(artifact, "a");
                assertEquals(verified.toString(), Status.VERIFIED, verified.get(0).status());
            }
        }
    }

    @Test
    public void tamperedArtifactFailsInTheEngineAndInGpg() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "app.zip", 5000);
        String key;
        try (SigningKey signingKey = TestKeys.open(SoftHsmToken.RSA3072)) {
            new ArtifactSigner(signingKey, options()).sign(artifact, "app.zip");
            key = PgpKeys.exportArmored(signingKey, "Release Signing <release@example.org>");
        }
        Artifacts.flipByte(artifact, 42);
        ReportEntry entry = verifier(key).verify(artifact, "app.zip").get(0);
        assertEquals(Failure.CONTENT_MODIFIED, entry.failure());
        ToolResult gpg = gpg(gpgHome(key), "--verify", asc(artifact).toString(), artifact.toString());
        assertNotEquals(0, gpg.exitCode());
    }

    @Test
    public void theExportedKeyHasAStableFingerprintDerivedFromTheCertificate() throws Exception {
        try (SigningKey key = TestKeys.open(SoftHsmToken.ECP256)) {
            List<org.bouncycastle.openpgp.PGPPublicKey> first = PgpKeys.read(
                    PgpKeys.exportArmored(key, null).getBytes(StandardCharsets.US_ASCII), "first");
            Thread.sleep(1100);
            List<org.bouncycastle.openpgp.PGPPublicKey> second = PgpKeys.read(
                    PgpKeys.exportArmored(key, null).getBytes(StandardCharsets.US_ASCII), "second");
            assertEquals(PgpKeys.fingerprint(first.get(0)), PgpKeys.fingerprint(second.get(0)));
            assertEquals(PgpKeys.fingerprint(PgpKeys.publicKey(key.certificate())), PgpKeys.fingerprint(first.get(0)));
            assertEquals("HSM Signing Test ecp256", first.get(0).getUserIDs().next());
        }
    }

    @Test
    public void aSignatureByAnUnknownKeyIsUntrusted() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "lib.jar.bin", 100);
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            new ArtifactSigner(key, options()).sign(artifact, "lib.jar.bin");
        }
        try (SigningKey other = TestKeys.open(SoftHsmToken.ECP256)) {
            ReportEntry entry = verifier(PgpKeys.exportArmored(other, null)).verify(artifact, "x").get(0);
            assertEquals(Failure.UNTRUSTED, entry.failure());
        }
    }

    @Test
    public void cmsAndPgpTogetherReadTheArtifactOnceAndBothVerify() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "both.bin", 300_000);
        String key;
        try (SigningKey signingKey = TestKeys.open(SoftHsmToken.RSA3072)) {
            List<ReportEntry> entries = new ArtifactSigner(signingKey,
                    SigningOptions.defaults().formats(Set.of(Format.CMS, Format.PGP))).sign(artifact, "both.bin");
            assertEquals(2, entries.size());
            key = PgpKeys.exportArmored(signingKey, null);
        }
        List<ReportEntry> verified = verifier(key).verify(artifact, "both.bin");
        assertEquals(2, verified.size());
        verified.forEach(e -> assertEquals(e.toString(), Status.VERIFIED, e.status()));
    }

    @Test
    public void aSignerCertificateStandsForItsOpenPgpKeyAndNamesTheSigner() throws Exception {
        Path artifact = Artifacts.random(tmp.getRoot().toPath(), "by-cert.bin", 1000);
        try (SigningKey key = TestKeys.open(SoftHsmToken.ECP256)) {
            new ArtifactSigner(key, options()).sign(artifact, "by-cert.bin");
        }
        VerificationOptions byCertificate = VerificationOptions.trusting(List.of())
                .withPgpCertificates(List.of(SoftHsmToken.shared().certificate(SoftHsmToken.ECP256)));
        ReportEntry entry = new Verifier(byCertificate).verify(artifact, "by-cert.bin").get(0);
        assertEquals(Status.VERIFIED, entry.status());
        assertThat(entry.signer().subject(), containsString("CN=HSM Signing Test ecp256"));
        VerificationOptions byBareKey = VerificationOptions.trusting(List.of())
                .withPgpKeys(List.of(PgpKeys.publicKey(SoftHsmToken.shared().certificate(SoftHsmToken.ECP256))));
        ReportEntry bare = new Verifier(byBareKey).verify(artifact, "by-cert.bin").get(0);
        assertEquals(Status.VERIFIED, bare.status());
        assertThat(bare.signer().subject(), containsString("OpenPGP key "));
    }

    private static SigningOptions options() {
        return SigningOptions.defaults().formats(Set.of(Format.PGP));
    }

    private static Verifier verifier(String armoredKey) throws Exception {
        return new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate()))
                .withPgpKeys(PgpKeys.read(armoredKey.getBytes(StandardCharsets.US_ASCII), "key.asc")));
    }

    private static Path asc(Path artifact) {
        return artifact.resolveSibling(artifact.getFileName() + ".asc");
    }

    private Path gpgHome(String armoredKey) throws Exception {
        Path home = tmp.newFolder().toPath();
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path keyFile = Files.writeString(home.resolve("key.asc"), armoredKey);
        ToolResult imported = gpg(home, "--import", keyFile.toString());
        assertEquals(imported.output(), 0, imported.exitCode());
        return home;
    }

    private static ToolResult gpg(Path home, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--homedir",
                home.toString(), "--trust-model", "always"));
        command.addAll(List.of(args));
        return ExternalTool.run(command, Map.of(), null, Duration.ofSeconds(60));
    }
}
