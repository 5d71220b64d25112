package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;

import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.OpensslCms;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Test;

/** {@code verify --cert, --trust system, --tsa-trust, --revocation, --crl} on CMS signatures made by openssl. */
public class VerifyTrustOptionsTest extends CliTestCase {

    private static final TestPki PKI = TestPki.shared();

    private String ca;
    private String signerPem;
    private X509Certificate signer;
    private KeyPair key;

    @Before
    public void makeSigner() throws Exception {
        ca = PKI.writeCaPem(work.resolve("ca.pem")).toString();
        key = TestPki.generateRsa(2048);
        signer = PKI.issueCodeSigning(key.getPublic(), "CLI Trust Signer");
        signerPem = Files.writeString(work.resolve("signer.pem"), TestPki.toPem(signer)).toString();
    }

    @Test
    public void certGivesTheSignerOfASignatureWithoutCertificatesWithoutTrustingIt() throws Exception {
        OpensslCms.sign(file("nocerts.bin", "payload"), key.getPrivate(), signer, List.of(), "-nocerts");

        ToolResult without = run("verify", "--trust", ca, "nocerts.bin");
        assertExit(1, without);
        assertThat(without.stdout(), containsString("is neither in the signature nor among the certificates given"));
        assertExit(0, run("verify", "--trust", ca, "--cert", signerPem, "nocerts.bin"));
        ToolResult onlyCert = run("verify", "--cert", ca, "nocerts.bin");
        assertExit(2, onlyCert);
        assertThat(onlyCert.stderr(), containsString("Give what to trust"));
    }

    @Test
    public void pemSignatureFilesVerify() throws Exception {
        OpensslCms.sign(file("pem.bin", "payload"), key.getPrivate(), signer, List.of(), "-outform", "PEM");
        assertExit(0, run("verify", "--trust", ca, "pem.bin"));
    }

    @Test
    public void revocationAgainstACrlFile() throws Exception {
        OpensslCms.sign(file("app.bin", "payload"), key.getPrivate(), signer, List.of());
        Path revoked = Files.write(work.resolve("revoked.crl"), PKI.crl(Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)), Map.of(signer.getSerialNumber(),
                        Instant.now().minus(Duration.ofHours(1)))).getEncoded());
        Path clean = Files.write(work.resolve("clean.crl"), PKI.crl(Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)), Map.of()).getEncoded());

        ToolResult failed = run("verify", "--trust", ca, "--crl", revoked.toString(), "app.bin");
        assertExit(1, failed);
        assertThat(failed.stdout(), containsString("CLI Trust Signer,O=HSM Signing Tests was revoked on"));
        assertThat(run("verify", "--json", "--trust", ca, "--crl", revoked.toString(), "app.bin").stdout(),
                containsString("\"failure\" : \"CERTIFICATE_REVOKED\""));

        ToolResult soft = run("verify", "--trust", ca, "app.bin");
        assertExit(0, soft);
        assertThat(soft.stdout(), containsString("revocation not checked"));
        ToolResult strict = run("verify", "--json", "--trust", ca, "--revocation", "strict", "app.bin");
        assertExit(1, strict);
        assertThat(strict.stdout(), containsString("\"failure\" : \"REVOCATION_UNKNOWN\""));
        assertExit(0, run("verify", "--trust", ca, "--revocation", "strict", "--crl", clean.toString(), "app.bin"));
        assertExit(0, run("verify", "--trust", ca, "--revocation", "off", "--crl", revoked.toString(), "app.bin"));

        ToolResult bad = run("verify", "--trust", ca, "--revocation", "sometimes", "app.bin");
        assertExit(2, bad);
        assertThat(bad.stderr(), containsString("--revocation 'sometimes' is not valid: use off, soft or strict"));
        ToolResult notACrl = run("verify", "--trust", ca, "--crl", ca, "app.bin");
        assertExit(2, notACrl);
        assertThat(notACrl.stderr(), containsString("given by --crl"));
    }

    @Test
    public void theJavaRuntimeCasAreAnOption() throws Exception {
        OpensslCms.sign(file("app.bin", "payload"), key.getPrivate(), signer, List.of());
        ToolResult system = run("verify", "--trust", "system", "app.bin");
        assertExit(1, system);
        assertThat(system.stdout(), containsString("does not chain to a trust anchor"));
        assertExit(0, run("verify", "--trust", "system", "--trust", ca, "app.bin"));
    }

    @Test
    public void tsaTrustReplacesTheAnchorsForTimestampsOnly() throws Exception {
        file("stamped.txt", "stamped");
        try (LoopbackTsa tsa = LoopbackTsa.start()) {
            assertExit(0, sign(SoftHsmToken.ECP256, "--format", "cms", "--tsa", tsa.url(), "stamped.txt"));
        }
        Path other = TestPki.create("Other TSA Root").writeCaPem(work.resolve("other.pem"));
        String tokenCa = token().caPem().toString();
        ToolResult foreign = run("verify", "--trust", tokenCa, "--tsa-trust", other.toString(), "stamped.txt");
        assertExit(1, foreign);
        assertThat(foreign.stdout(), containsString("time-stamp authority is not trusted"));
        assertExit(0, run("verify", "--trust", tokenCa, "--tsa-trust", ca, "stamped.txt"));
    }
}
