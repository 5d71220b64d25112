package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.cloud.LoopbackKeyServices;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code hsmsign sign} with keys in network key services, against their loopback stand-ins. */
public class KeyServiceCommandTest extends CliTestCase {

    private static final TestPki PKI = TestPki.shared();
    private static final KeyPair KEY = TestPki.generateRsa(2048);
    private static final X509Certificate LEAF = PKI.issueCodeSigning(KEY.getPublic(), "Cloud Release");

    private LoopbackKeyServices services;
    private Path chain;
    private Path ca;

    @Before
    public void startServices() throws Exception {
        services = new LoopbackKeyServices(KEY, LEAF, TestPki.generateRsa(2048).getPublic());
        chain = Files.writeString(work.resolve("chain.pem"), TestPki.toPem(LEAF, PKI.caCertificate()));
        ca = PKI.writeCaPem(work.resolve("ca.pem"));
    }

    @After
    public void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    public void signsWithAnAwsKmsKeyAndOpensslAccepts() throws Exception {
        Path artifact = file("app.bin", "payload\n");
        ToolResult signed = signWith(Map.of("AWS_SECRET", LoopbackKeyServices.AWS_SECRET_KEY), "--aws-kms-key",
                LoopbackKeyServices.AWS_KEY_ID, "--aws-region", "eu-west-1", "--service-endpoint",
                services.url() + "/aws/", "--aws-access-key-id", LoopbackKeyServices.AWS_ACCESS_KEY,
                "--cert-chain", chain.toString(), "--secret-env", "AWS_SECRET");
        assertExit(0, signed);
        ToolResult openssl = openSslVerify(artifact, work.resolve("app.bin.p7s"), ca);
        assertEquals(openssl.output(), 0, openssl.exitCode());
        assertNoPin(signed, LoopbackKeyServices.AWS_SECRET_KEY);
    }

    @Test
    public void signsWithAnAzureKeyVaultCertificate() throws Exception {
        Path artifact = file("app.bin", "payload\n");
        ToolResult signed = signWith(Map.of("AZURE_SECRET", LoopbackKeyServices.CLIENT_SECRET), "--azure-key-vault",
                services.url(), "--azure-certificate", LoopbackKeyServices.CERTIFICATE, "--azure-tenant-id",
                LoopbackKeyServices.TENANT, "--azure-client-id", LoopbackKeyServices.CLIENT_ID, "--azure-authority",
                services.url(), "--cert-chain", ca.toString(), "--secret-env", "AZURE_SECRET");
        assertExit(0, signed);
        ToolResult openssl = openSslVerify(artifact, work.resolve("app.bin.p7s"), ca);
        assertEquals(openssl.output(), 0, openssl.exitCode());
    }

    @Test
    public void aWrongSecretIsAKeyErrorThatSaysWhatToFix() throws Exception {
        file("app.bin", "payload\n");
        ToolResult signed = signWith(Map.of("VAULT", "not-the-token"), "--vault-address", services.url(),
                "--vault-key", "release", "--cert-chain", chain.toString(), "--secret-env", "VAULT");
        assertExit(3, signed);
        assertThat(signed.output(), containsString("HashiCorp Vault"));
        assertThat(signed.output(), containsString("HTTP 401"));
        assertThat(signed.output(), not(containsString("not-the-token")));
    }

    @Test
    public void twoKeySourcesAreAUsageError() throws Exception {
        file("app.bin", "payload\n");
        ToolResult signed = signWith(Map.of(), "--vault-address", services.url(), "--vault-key", "release",
                "--aws-kms-key", "k", "--aws-region", "eu-west-1");
        assertExit(2, signed);
        assertThat(signed.output(), containsString("Choose one key service"));
    }

    private ToolResult signWith(Map<String, String> env, String... keyOptions) {
        List<String> args = new ArrayList<>(List.of("sign", "--format", "cms"));
        args.addAll(List.of(keyOptions));
        args.add("app.bin");
        return run(env, args);
    }
}
