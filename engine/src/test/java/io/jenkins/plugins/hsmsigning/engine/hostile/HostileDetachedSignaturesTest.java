package io.jenkins.plugins.hsmsigning.engine.hostile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Detached signature files an attacker controls: each verification fails with one sentence naming the file, and
 * neither the artifact nor its directory is changed.
 */
public class HostileDetachedSignaturesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] goodP7s;
    private static byte[] goodAsc;
    private static byte[] otherP7s;
    private static String pgpKey;

    @BeforeClass
    public static void signOnce() throws Exception {
        Path dir = tmp.newFolder("good").toPath();
        Path good = Artifacts.random(dir, "good.bin", 4096);
        Path other = Artifacts.random(dir, "other.bin", 4096);
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            SigningOptions options = SigningOptions.defaults().formats(Set.of(Format.CMS, Format.PGP));
            new ArtifactSigner(key, options).sign(good, "good.bin");
            new ArtifactSigner(key, options).sign(other, "other.bin");
            pgpKey = PgpKeys.exportArmored(key, null);
        }
        goodP7s = Files.readAllBytes(dir.resolve("good.bin.p7s"));
        goodAsc = Files.readAllBytes(dir.resolve("good.bin.asc"));
        otherP7s = Files.readAllBytes(dir.resolve("other.bin.p7s"));
    }

    @Test
    public void everyHostileSignatureFileFailsCleanly() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("empty.p7s", new byte[0]);
        cases.put("garbage.p7s", "this is not DER".getBytes(StandardCharsets.US_ASCII));
        cases.put("truncated.p7s", Arrays.copyOf(goodP7s, goodP7s.length / 2));
        cases.put("other-file.p7s", otherP7s);
        cases.put("bitflip.p7s", flip(goodP7s, goodP7s.length - 40));
        cases.put("pem-instead-of-der.p7s", TestPki.toPem(TestPki.shared().caCertificate()).getBytes(StandardCharsets.US_ASCII));
        cases.put("empty.asc", new byte[0]);
        cases.put("garbage.asc", "-----BEGIN PGP SIGNATURE-----\n\nnot base64 at all!\n-----END PGP SIGNATURE-----\n".getBytes(StandardCharsets.US_ASCII));
        cases.put("truncated.asc", Arrays.copyOf(goodAsc, goodAsc.length / 2));
        cases.put("a-key-not-a-signature.asc", pgpKey.getBytes(StandardCharsets.US_ASCII));
        cases.put("cms-as-asc.asc", goodP7s);
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            String extension = c.getKey().substring(c.getKey().lastIndexOf('.'));
            Path dir = tmp.newFolder(c.getKey()).toPath();
            Path artifact = Artifacts.random(dir, "good.bin", 4096);
            Files.write(dir.resolve("good.bin" + extension), c.getValue());
            assertFailsCleanly(c.getKey(), dir, artifact, "good.bin" + extension);
        }
    }

    @Test
    public void anOversizedSignatureFileIsNotRead() throws Exception {
        Path dir = tmp.newFolder("huge").toPath();
        Path artifact = Artifacts.random(dir, "good.bin", 10);
        Artifacts.random(dir, "good.bin.p7s", 11 * 1024 * 1024);
        assertFailsCleanly("huge", dir, artifact, "larger than");
    }

    @Test
    public void aCertificateChainThatLoopsEndsAsUntrusted() throws Exception {
        KeyPair a = TestPki.generateRsa(2048);
        KeyPair b = TestPki.generateRsa(2048);
        X509Certificate aByB = ca("CN=Loop A", a.getPublic(), "CN=Loop B", b.getPrivate());
        X509Certificate bByA = ca("CN=Loop B", b.getPublic(), "CN=Loop A", a.getPrivate());
        KeyPair leafKeys = TestPki.generateEc("secp256r1");
        X509Certificate leaf = leaf(leafKeys.getPublic(), a.getPrivate());
        byte[] p12 = TestPki.shared().pkcs12(leafKeys, new X509Certificate[] {leaf}, "loop", "pw".toCharArray());
        Path dir = tmp.newFolder("loop").toPath();
        Path artifact = Artifacts.random(dir, "looped.bin", 100);
        try (Secret pw = Secret.of("pw".toCharArray());
                SigningKey key = Pkcs12KeySource.of(p12, "loop.p12").certificateChain(List.of(aByB, bByA)).open(pw)) {
            assertEquals(3, key.chain().size());
            new ArtifactSigner(key, SigningOptions.defaults()).sign(artifact, "looped.bin");
        }
        ReportEntry entry = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())))
                .verify(artifact, "looped.bin").get(0);
        assertEquals(Status.FAILED, entry.status());
        assertThat(entry.reason(), containsString("does not chain to a trust anchor"));
    }

    private static void assertFailsCleanly(String name, Path dir, Path artifact, String expected) throws Exception {
        String before = Artifacts.sha256(artifact);
        List<String> filesBefore = list(dir);
        VerificationOptions options = VerificationOptions.trusting(List.of(TestPki.shared().caCertificate()))
                .withPgpKeys(PgpKeys.read(pgpKey.getBytes(StandardCharsets.US_ASCII), "key.asc"));
        List<ReportEntry> entries = new Verifier(options).verify(artifact, "good.bin");
        assertEquals(name, 1, entries.size());
        ReportEntry entry = entries.get(0);
        assertEquals(name, Status.FAILED, entry.status());
        assertThat(name, entry.reason(), containsString(expected));
        assertFalse(name + ": one sentence", entry.reason().contains("\n") || entry.reason().contains("Exception"));
        assertEquals(name + ": artifact unchanged", before, Artifacts.sha256(artifact));
        assertEquals(name + ": no file added or removed", filesBefore, list(dir));
        assertTrue(name, entry.reason().length() < 400);
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] flip(byte[] bytes, int offset) {
        byte[] copy = bytes.clone();
        copy[offset] ^= (byte) 0xFF;
        return copy;
    }

    private static X509Certificate ca(String subject, PublicKey key, String issuer, PrivateKey issuerKey) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(System.nanoTime()),
                new Date(System.currentTimeMillis() - 86_400_000L), new Date(System.currentTimeMillis() + 86_400_000L * 365),
                new X500Name(subject), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static X509Certificate leaf(PublicKey key, PrivateKey issuerKey) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Loop A"), BigInteger.valueOf(System.nanoTime()),
                new Date(System.currentTimeMillis() - 86_400_000L), new Date(System.currentTimeMillis() + 86_400_000L * 365),
                new X500Name("CN=Looped leaf"), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }
}
