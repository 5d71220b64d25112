package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.endsWith;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.authenticode.EmbeddedSigning;
import io.jenkins.plugins.hsmsigning.engine.jar.JarSamples;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackRelay;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code hsmsign timestamp} against the engine's loopback time-stamp authority, checked by openssl. */
public class TimestampCommandTest extends CliTestCase {

    private LoopbackTsa tsa;

    @Before
    public void startTsa() {
        tsa = LoopbackTsa.start();
    }

    @After
    public void stopTsa() {
        tsa.close();
    }

    @Test
    public void addsATimestampThatOpensslAcceptsAndLeavesAStampedSignatureAlone() throws Exception {
        Path artifact = file("app.txt", "stamp me later");
        assertExit(0, sign(SoftHsmToken.RSA3072, "app.txt"));
        Path p7s = work.resolve("app.txt.p7s");
        assertNull(timestampToken(p7s));

        ToolResult stamped = run("timestamp", "--tsa", tsa.url(), "app.txt");

        assertExit(0, stamped);
        assertThat(stamped.stdout(), containsString("timestamped  app.txt.p7s"));
        assertEquals(0, openSslVerify(artifact, p7s, token().caPem()).exitCode());
        assertOpensslTsAccepts(p7s);
        ToolResult verified = run("verify", "--trust", token().caPem().toString(), "--tsa-trust",
                caOfTsa().toString(), "--json", "app.txt");
        assertExit(0, verified);
        assertThat(verified.stdout(), containsString("\"authority\" : \"CN=HSM Signing Test TSA"));

        byte[] before = Files.readAllBytes(p7s);
        ToolResult again = run("timestamp", "--tsa", tsa.url(), "app.txt.p7s");

        assertExit(0, again);
        assertThat(again.stdout(), containsString("already timestamped"));
        assertArrayEquals(before, Files.readAllBytes(p7s));
    }

    @Test
    public void refusesToStampASignatureThatDoesNotMatchItsFile() throws Exception {
        Path artifact = file("app.txt", "original");
        assertExit(0, sign(SoftHsmToken.RSA3072, "app.txt"));
        Files.writeString(artifact, "tampered");
        byte[] before = Files.readAllBytes(work.resolve("app.txt.p7s"));

        ToolResult result = run("timestamp", "--tsa", tsa.url(), "app.txt");

        assertExit(1, result);
        assertThat(result.stderr(), containsString("does not match app.txt"));
        assertArrayEquals(before, Files.readAllBytes(work.resolve("app.txt.p7s")));
        assertEquals(0, tsa.requestCount());
    }

    @Test
    public void anUnansweredAuthorityIsATimestampErrorAndAMissingSignatureAnInputError() throws Exception {
        file("app.txt", "stamp me");
        file("notes.txt", "never signed");
        assertExit(0, sign(SoftHsmToken.RSA3072, "app.txt"));
        byte[] before = Files.readAllBytes(work.resolve("app.txt.p7s"));
        tsa.mode(LoopbackTsa.Mode.HTTP_ERROR);

        ToolResult down = run("timestamp", "--tsa", tsa.url(), "app.txt");

        assertExit(3, down);
        assertThat(down.stderr(), containsString("No time-stamp authority answered for app.txt.p7s"));
        assertArrayEquals(before, Files.readAllBytes(work.resolve("app.txt.p7s")));

        ToolResult unsigned = run("timestamp", "--tsa", tsa.url(), "notes.txt");

        assertExit(4, unsigned);
        assertThat(unsigned.stderr(), containsString("notes.txt carries no signature to timestamp"));
        assertThat(unsigned.stderr(), containsString("no detached signature notes.txt.p7s"));
    }

    @Test
    public void embeddedAuthenticodeAndJarSignaturesAreTimestampedAndThenLeftAlone() throws Exception {
        Path exe = AuthenticodeSamples.PE.copyTo(work);
        Path jar = JarSamples.archive(work, "jar");
        String exeName = exe.getFileName().toString();
        String jarName = jar.getFileName().toString();
        assertExit(0, sign(SoftHsmToken.RSA3072, exeName, jarName));

        ToolResult stamped = run("timestamp", "--tsa", tsa.url(), exeName, jarName);

        assertExit(0, stamped);
        assertThat(stamped.stdout(), containsString("timestamped  " + exeName));
        assertThat(stamped.stdout(), containsString("timestamped  " + jarName));
        ToolResult osslsigncode = EmbeddedSigning.osslsigncode(exe);
        assertEquals(osslsigncode.output(), 0, osslsigncode.exitCode());
        assertThat(osslsigncode.output(), containsString("Timestamp Server Signature verification: ok"));
        ToolResult jarsigner = JarSamples.jarsigner(jar);
        assertEquals(jarsigner.output(), 0, jarsigner.exitCode());
        assertThat(jarsigner.output(), containsString("Timestamped by"));
        byte[] exeBefore = Files.readAllBytes(exe);
        byte[] jarBefore = Files.readAllBytes(jar);
        int requests = tsa.requestCount();

        ToolResult again = run("timestamp", "--tsa", tsa.url(), exeName, jarName);

        assertExit(0, again);
        assertThat(again.stdout(), containsString("unchanged    " + exeName + " (already timestamped)"));
        assertThat(again.stdout(), containsString("unchanged    " + jarName + " (already timestamped)"));
        assertArrayEquals(exeBefore, Files.readAllBytes(exe));
        assertArrayEquals(jarBefore, Files.readAllBytes(jar));
        assertEquals(requests, tsa.requestCount());
    }

    @Test
    public void aPemSignatureStaysPem() throws Exception {
        Path artifact = file("app.txt", "pem please");
        assertExit(0, sign(SoftHsmToken.RSA3072, "app.txt"));
        Path p7s = work.resolve("app.txt.p7s");
        ExternalTool.require("openssl");
        Path pem = work.resolve("app.pem");
        ToolResult converted = ExternalTool.run(List.of("openssl", "cms", "-cmsout", "-inform", "DER", "-in",
                p7s.toString(), "-outform", "PEM", "-out", pem.toString()));
        assertEquals(converted.output(), 0, converted.exitCode());
        Files.move(pem, p7s, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ToolResult stamped = run("timestamp", "--tsa", tsa.url(), "app.txt.p7s");

        assertExit(0, stamped);
        String written = Files.readString(p7s);
        assertThat(written, startsWith("-----BEGIN CMS-----\n"));
        assertThat(written, endsWith("-----END CMS-----\n"));
        ToolResult verified = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "PEM",
                "-in", p7s.toString(), "-content", artifact.toString(), "-CAfile", token().caPem().toString(),
                "-purpose", "any", "-out", "/dev/null"));
        assertEquals(verified.output(), 0, verified.exitCode());
        ToolResult engine = run("verify", "--trust", token().caPem().toString(), "--tsa-trust",
                caOfTsa().toString(), "--json", "app.txt");
        assertExit(0, engine);
        assertThat(engine.stdout(), containsString("\"authority\" : \"CN=HSM Signing Test TSA"));
    }

    @Test
    public void reachesAPrivateTsaOverHttpsWithTsaTruststoreAndThroughProxy() throws Exception {
        Path artifact = file("app.txt", "private authority");
        Path ca = TestPki.shared().writeCaPem(work.resolve("private-ca.pem"));
        try (LoopbackRelay https = LoopbackRelay.httpsTo(tsa.url());
                LoopbackRelay proxy = LoopbackRelay.proxyTo(tsa.url())) {
            ToolResult untrusted = sign(SoftHsmToken.RSA3072, "--tsa", https.httpsUrl(), "app.txt");

            assertExit(3, untrusted);
            assertThat(untrusted.stdout(), containsString("TLS"));

            ToolResult signed = sign(SoftHsmToken.RSA3072, "--tsa", https.httpsUrl(), "--tsa-truststore",
                    ca.toString(), "app.txt");

            assertExit(0, signed);
            assertEquals(1, https.relayedCount());
            assertNotNull(timestampToken(work.resolve("app.txt.p7s")));

            Files.delete(work.resolve("app.txt.p7s"));
            assertExit(0, sign(SoftHsmToken.RSA3072, "app.txt"));
            ToolResult stamped = run("timestamp", "--proxy", proxy.hostAndPort(), "--tsa", "http://tsa.invalid/",
                    "app.txt");

            assertExit(0, stamped);
            assertEquals(1, proxy.relayedCount());
            assertEquals(0, openSslVerify(artifact, work.resolve("app.txt.p7s"), token().caPem()).exitCode());
        }

        ToolResult badProxy = run("timestamp", "--proxy", "no-port", "--tsa", tsa.url(), "app.txt");

        assertExit(2, badProxy);
        assertThat(badProxy.stderr(), containsString("--proxy takes HOST:PORT"));
    }

    private void assertOpensslTsAccepts(Path p7s) throws Exception {
        Path token = Files.write(temp.newFile("token.tst").toPath(), timestampToken(p7s));
        Path data = Files.write(temp.newFile("signature.bin").toPath(), signatureValue(p7s));
        Path tsaPem = Files.writeString(temp.newFile("tsa.pem").toPath(), TestPki.toPem(tsa.certificate()));
        ExternalTool.require("openssl");
        ToolResult result = ExternalTool.run(List.of("openssl", "ts", "-verify", "-data", data.toString(), "-in",
                token.toString(), "-token_in", "-CAfile", caOfTsa().toString(), "-untrusted", tsaPem.toString()));
        assertEquals(result.output(), 0, result.exitCode());
        assertThat(result.output(), containsString("Verification: OK"));
    }

    private Path caOfTsa() throws Exception {
        Path ca = work.resolve("tsa-ca.pem");
        if (!Files.exists(ca)) {
            TestPki.shared().writeCaPem(ca);
        }
        return ca;
    }

    /** The first SignerInfo of a DER SignedData, read with plain ASN.1 (the CMS classes live in bcutil). */
    private static ASN1Sequence signerInfo(Path p7s) throws Exception {
        ASN1Sequence contentInfo = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(Files.readAllBytes(p7s)));
        ASN1Sequence signedData = ASN1Sequence.getInstance(
                ASN1TaggedObject.getInstance(contentInfo.getObjectAt(1)).getExplicitBaseObject());
        ASN1Set signerInfos = ASN1Set.getInstance(signedData.getObjectAt(signedData.size() - 1));
        return ASN1Sequence.getInstance(signerInfos.getObjectAt(0));
    }

    private static byte[] signatureValue(Path p7s) throws Exception {
        for (ASN1Encodable element : signerInfo(p7s)) {
            if (element instanceof ASN1OctetString value) {
                return value.getOctets();
            }
        }
        throw new AssertionError("no signature value in " + p7s);
    }

    /** The DER of the signatureTimeStampToken attribute's value, or null without one. */
    private static byte[] timestampToken(Path p7s) throws Exception {
        ASN1Sequence signer = signerInfo(p7s);
        ASN1Encodable last = signer.getObjectAt(signer.size() - 1);
        if (!(last instanceof ASN1TaggedObject tagged) || tagged.getTagNo() != 1) {
            return null;
        }
        for (ASN1Encodable attribute : ASN1Set.getInstance(tagged, false)) {
            ASN1Sequence pair = ASN1Sequence.getInstance(attribute);
            if (PKCSObjectIdentifiers.id_aa_signatureTimeStampToken.equals(pair.getObjectAt(0))) {
                return ASN1Set.getInstance(pair.getObjectAt(1)).getObjectAt(0).toASN1Primitive().getEncoded("DER");
            }
        }
        return null;
    }
}
