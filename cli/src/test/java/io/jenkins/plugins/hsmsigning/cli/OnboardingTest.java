package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.Test;

/**
 * Onboarding a token with hsmsign alone: a key made by the token's tool (pkcs11-tool) has no certificate, so
 * SunPKCS11 cannot see it; list-keys shows it, csr makes a request that openssl verifies, the test CA issues the
 * certificate, import-certificate stores it with the key's CKA_ID, and then the key signs.
 */
public class OnboardingTest extends CliTestCase {

    @Test
    public void aNewRsaKeyIsListedRequestedImportedAndThenSigns() throws Exception {
        String alias = newKey("rsa:2048");

        ToolResult listed = run(withToken("list-keys"));
        assertExit(0, listed);
        assertThat(listed.stdout(), containsString("ALIAS"));
        assertThat(listed.stdout(), containsString(alias));
        assertThat(lineOf(listed.stdout(), alias), containsString("RSA-2048"));
        assertThat(lineOf(listed.stdout(), alias), containsString("no certificate"));
        assertThat(lineOf(listed.stdout(), SoftHsmToken.RSA3072), containsString("CN=HSM Signing Test rsa3072"));

        ToolResult csr = run(withToken("csr", "--key-alias", alias, "--subject", "CN=" + alias + ",O=Onboarding",
                "--email", "release@example.org", "--out", "key.csr"));
        assertExit(0, csr);
        ToolResult openssl = openSslReqVerify(work.resolve("key.csr"));
        assertThat(openssl.output(), containsString("CN = " + alias));
        assertThat(openssl.output(), containsString("Code Signing"));
        assertThat(openssl.output(), containsString("release@example.org"));

        Path certificate = issue(work.resolve("key.csr"), alias);
        ToolResult imported = run(withToken("import-certificate", "--key-alias", alias, certificate.toString()));
        assertExit(0, imported);
        assertThat(run(withToken("list-keys")).stdout(), containsString("CN=" + alias));

        Path artifact = file("app.txt", "onboarded\n");
        List<String> sign = withToken("sign", "--key-alias", alias, "--cert-chain", token().caPem().toString(),
                "app.txt");
        assertExit(0, run(sign));
        ToolResult cms = openSslVerify(artifact, work.resolve("app.txt.p7s"), token().caPem());
        assertEquals(cms.output(), 0, cms.exitCode());

        ToolResult again = run(withToken("import-certificate", "--key-alias", alias, certificate.toString()));
        assertExit(2, again);
        assertThat(again.stderr(), containsString("already has a certificate"));
    }

    @Test
    public void anEcRequestVerifiesAndACertificateForAnotherKeyIsRefused() throws Exception {
        String alias = newKey("EC:prime256v1");

        assertExit(0, run(withToken("csr", "--key-alias", alias, "--subject", "CN=" + alias, "--out", "ec.csr")));
        assertThat(openSslReqVerify(work.resolve("ec.csr")).output(), containsString("CN = " + alias));

        Path other = work.resolve("other.pem");
        Files.writeString(other, TestPki.toPem(token().certificate(SoftHsmToken.ECP256)));
        ToolResult refused = run(withToken("import-certificate", "--key-alias", alias, other.toString()));
        assertExit(2, refused);
        assertThat(refused.stderr(), containsString("its public key differs"));

        ToolResult wrongPin = run(Map.of(PIN_VARIABLE, "000000"), withToken("list-keys"));
        assertExit(3, wrongPin);
        assertThat(wrongPin.stderr(), containsString("Wrong PIN"));
        assertNoPin(wrongPin, "000000", PIN);
    }

    /** A key pair made on the token by pkcs11-tool, as a token's own tool makes them: no certificate. */
    private static String newKey(String type) {
        ExternalTool.require("pkcs11-tool");
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        String alias = "onboard-" + id;
        ExternalTool.runChecked(List.of("pkcs11-tool", "--module", token().library().toString(), "--token-label",
                token().tokenLabel(), "--login", "--pin", PIN, "--keypairgen", "--key-type", type, "--id", id,
                "--label", alias, "--usage-sign"));
        return alias;
    }

    private static List<String> withToken(String command, String... rest) {
        List<String> args = new ArrayList<>(List.of(command, "--pkcs11-library", token().library().toString(),
                "--token-label", token().tokenLabel(), "--pin-env", PIN_VARIABLE));
        args.addAll(Arrays.asList(rest));
        return args;
    }

    private ToolResult run(List<String> args) {
        return run(Map.of(PIN_VARIABLE, PIN), args);
    }

    private static ToolResult openSslReqVerify(Path request) {
        ExternalTool.require("openssl");
        ToolResult verified = ExternalTool.run(List.of("openssl", "req", "-in", request.toString(), "-verify",
                "-noout", "-text"));
        assertEquals(verified.output(), 0, verified.exitCode());
        assertThat(verified.output(), containsString("verify OK"));
        return verified;
    }

    /** The test CA issues a code-signing certificate for the request's public key. */
    private Path issue(Path request, String alias) throws Exception {
        PKCS10CertificationRequest parsed;
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(request)))) {
            parsed = (PKCS10CertificationRequest) parser.readObject();
        }
        X509Certificate issued = TestPki.shared().issueCodeSigning(new JcaPKCS10CertificationRequest(parsed)
                .getPublicKey(), alias);
        return Files.writeString(work.resolve(alias + ".pem"), TestPki.toPem(issued));
    }

    private static String lineOf(String output, String alias) {
        return output.lines().filter(l -> l.startsWith(alias + " ")).findFirst().orElse("no line for " + alias
                + " in:\n" + output);
    }
}
