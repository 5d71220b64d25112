package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.Test;

public class SignCommandTest extends CliTestCase {

    @Test
    public void signsCmsAndPgpOnTheTokenAndOpenSslAndGpgAgree() throws Exception {
        Path artifact = file("app.txt", "release notes\n");

        ToolResult signed = sign(SoftHsmToken.RSA3072, "--format", "cms", "--format", "pgp", "app.txt");

        assertExit(0, signed);
        assertThat(signed.stdout(), containsString("SIGNED    cms          app.txt  HSM Signing Test rsa3072  "));
        assertThat(signed.stdout(), containsString("SIGNED    pgp          app.txt  HSM Signing Test rsa3072  "));
        assertThat(signed.stdout(), containsString("2 signed, 0 failed in "));
        ToolResult openssl = openSslVerify(artifact, work.resolve("app.txt.p7s"), token().caPem());
        assertEquals(openssl.output(), 0, openssl.exitCode());

        ToolResult exported = run("export-pgp-key", "--pkcs11-library", token().library().toString(), "--token-label",
                token().tokenLabel(), "--key-alias", SoftHsmToken.RSA3072, "--pin-env", PIN_VARIABLE, "--out",
                "key.asc");
        assertExit(0, exported);
        ToolResult gpg = gpgVerify(work.resolve("key.asc"), work.resolve("app.txt.asc"), artifact);
        assertEquals(gpg.output(), 0, gpg.exitCode());
        assertThat(gpg.output(), containsString("Good signature"));
    }

    @Test
    public void expandsQuotedGlobsWithoutSigningSignatureFiles() throws Exception {
        file("dist/app.bin", "top");
        file("dist/win/app.bin", "nested");
        file("dist/win/app.bin.p7s", "an old signature, not an artifact");
        file("other/app.bin", "elsewhere");

        ToolResult signed = sign(SoftHsmToken.ECP256, "--out", "sigs", "--report", "report.json", "dist/**/*.bin");

        assertExit(0, signed);
        assertTrue(Files.isRegularFile(work.resolve("sigs/dist/app.bin.p7s")));
        assertTrue(Files.isRegularFile(work.resolve("sigs/dist/win/app.bin.p7s")));
        assertFalse(Files.exists(work.resolve("sigs/other")));
        assertFalse(Files.exists(work.resolve("sigs/dist/win/app.bin.p7s.p7s")));
        assertEquals("an old signature, not an artifact", Files.readString(work.resolve("dist/win/app.bin.p7s")));
        SignatureReport report = SignatureReport.read(work.resolve("report.json"));
        assertEquals(List.of("dist/app.bin", "dist/win/app.bin"),
                report.entries().stream().map(ReportEntry::path).sorted().toList());
        ToolResult openssl = openSslVerify(work.resolve("dist/win/app.bin"), work.resolve("sigs/dist/win/app.bin.p7s"),
                token().caPem());
        assertEquals(openssl.output(), 0, openssl.exitCode());
    }

    @Test
    public void jsonPrintsTheSignatureReportAndQuietPrintsNothing() throws Exception {
        file("a.txt", "a");

        ToolResult json = sign(SoftHsmToken.RSA3072, "--json", "--digest", "SHA-384", "--pss", "a.txt");
        ToolResult quiet = sign(SoftHsmToken.RSA3072, "--quiet", "a.txt");

        assertExit(0, json);
        ReportEntry entry = SignatureReport.parse(json.stdout()).entries().get(0);
        assertEquals(Status.SIGNED, entry.status());
        assertEquals("SHA-384", entry.digestAlgorithm());
        assertThat(entry.signatureAlgorithm(), containsString("PSS"));
        assertExit(0, quiet);
        assertEquals("", quiet.output());
        ToolResult openssl = openSslVerify(work.resolve("a.txt"), work.resolve("a.txt.p7s"), token().caPem());
        assertEquals(openssl.output(), 0, openssl.exitCode());
    }

    @Test
    public void autoSignsAJarInPlaceAndJarsignerAgrees() throws Exception {
        Path jar = work.resolve("lib.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest())) {
            out.putNextEntry(new JarEntry("lib/data.txt"));
            out.write("data".getBytes(StandardCharsets.UTF_8));
        }
        String before = sha256(jar);

        ToolResult signed = sign(SoftHsmToken.RSA3072, "lib.jar");

        assertExit(0, signed);
        assertThat(signed.stdout(), containsString("SIGNED    jar          lib.jar  HSM Signing Test rsa3072"));
        assertNotEquals(before, sha256(jar));
        assertFalse(Files.exists(work.resolve("lib.jar.p7s")));
        ExternalTool.require("jarsigner");
        ToolResult jarsigner = ExternalTool.run(List.of("jarsigner", "-verify", jar.toString()));
        assertEquals(jarsigner.output(), 0, jarsigner.exitCode());
        assertThat(jarsigner.stdout(), containsString("jar verified."));
        assertExit(0, run("verify", "--trust", token().caPem().toString(), "lib.jar"));
    }

    @Test
    public void signsWithAPkcs12KeystoreAndAPinFile() throws Exception {
        TestPki pki = TestPki.shared();
        KeyPair keyPair = TestPki.generateRsa(3072);
        X509Certificate certificate = pki.issueCodeSigning(keyPair.getPublic(), "HSM Signing Test p12");
        Files.write(work.resolve("dev.p12"), pki.pkcs12(keyPair, new X509Certificate[] {certificate}, "dev",
                "changeit".toCharArray()));
        Files.writeString(work.resolve("password.txt"), "changeit\n", StandardCharsets.UTF_8);
        Path artifact = file("lib.tar", "tarball");

        ToolResult signed = run(Map.of(), List.of("sign", "--keystore", "dev.p12", "--key-alias", "dev",
                "--pin-file", "password.txt", "lib.tar"));

        assertExit(0, signed);
        assertThat(signed.stdout(), containsString("HSM Signing Test p12"));
        ToolResult openssl = openSslVerify(artifact, work.resolve("lib.tar.p7s"), token().caPem());
        assertEquals(openssl.output(), 0, openssl.exitCode());
    }

    @Test
    public void keepsEarlierAuthenticodeSignaturesUnlessReplaceIsGivenAndChecksTheTrustAnchors() throws Exception {
        file("setup.ps1", "Write-Output 'setup'\r\n");
        assertExit(0, sign(SoftHsmToken.ECP256, "setup.ps1"));

        ToolResult nested = sign(SoftHsmToken.RSA3072, "setup.ps1");
        assertExit(0, nested);
        assertThat(nested.stdout(), containsString("kept 1 earlier signature and nested the new one after it"));
        assertThat(run("inspect", "--json", "setup.ps1").stdout(), containsString("ecp256"));

        ToolResult replaced = sign(SoftHsmToken.RSA3072, "--replace", "setup.ps1");
        assertExit(0, replaced);
        assertThat(replaced.stdout(), containsString("replaced 2 earlier signatures"));
        assertEquals(1, SignatureReport.parse(run("inspect", "--json", "setup.ps1").stdout()).entries().size());

        Path other = TestPki.create("Customers' Root").writeCaPem(work.resolve("other-root.pem"));
        String before = sha256(work.resolve("setup.ps1"));
        ToolResult untrusted = sign(SoftHsmToken.RSA3072, "--trust", "other-root.pem", "setup.ps1");
        assertExit(2, untrusted);
        assertThat(untrusted.output(), containsString("which is not among the trust anchors (CN=Customers' Root"));
        assertEquals(before, sha256(work.resolve("setup.ps1")));
        assertExit(0, sign(SoftHsmToken.RSA3072, "--trust", token().caPem().toString(), "setup.ps1"));
    }

    private static Manifest manifest() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        return manifest;
    }
}
