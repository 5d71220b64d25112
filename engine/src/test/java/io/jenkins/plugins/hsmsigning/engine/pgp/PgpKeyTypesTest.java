package io.jenkins.plugins.hsmsigning.engine.pgp;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.keys.Providers;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SignaturePacket;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Key types gpg 2.2 cannot make (RFC 9580 Ed25519 and Ed448, version 6) and one the verifier refuses (DSA), made
 * with Bouncy Castle's own OpenPGP signer: each is checked as its own algorithm, or refused as unsupported.
 */
public class PgpKeyTypesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void rfc9580Ed25519AndEd448SignaturesVerify() throws Exception {
        for (String type : List.of("Ed25519", "Ed448")) {
            int algorithm = type.equals("Ed25519") ? PublicKeyAlgorithmTags.Ed25519 : PublicKeyAlgorithmTags.Ed448;
            PGPKeyPair key = keyPair(PublicKeyPacket.VERSION_4, algorithm, type);
            Path artifact = artifact(type + ".bin", "signed with " + type);
            sign(artifact, key, SignaturePacket.VERSION_4);

            ReportEntry entry = verify(artifact, key);

            assertEquals(entry.toString(), Status.VERIFIED, entry.status());
            assertEquals(type + " with SHA-512", entry.algorithm());
            Files.writeString(artifact, "changed");
            assertEquals(Failure.CONTENT_MODIFIED, verify(artifact, key).failure());
        }
    }

    @Test
    public void versionSixSignaturesAreUnsupportedNotCalledForgeries() throws Exception {
        PGPKeyPair key = keyPair(PublicKeyPacket.VERSION_6, PublicKeyAlgorithmTags.Ed25519, "Ed25519");
        Path artifact = artifact("v6.bin", "version 6");
        sign(artifact, key, SignaturePacket.VERSION_6);

        ReportEntry entry = verify(artifact, key);

        assertEquals(entry.toString(), Failure.UNSUPPORTED, entry.failure());
        assertThat(entry.reason(), containsString("version 6"));
    }

    @Test
    public void dsaIsUnsupportedAndNeverTriedAsRsa() throws Exception {
        PGPKeyPair key = keyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.DSA, "DSA");
        Path artifact = artifact("dsa.bin", "dsa");
        sign(artifact, key, SignaturePacket.VERSION_4);

        ReportEntry entry = verify(artifact, key);

        assertEquals(entry.toString(), Failure.UNSUPPORTED, entry.failure());
        assertThat(entry.reason(), containsString("uses DSA"));
    }

    private static PGPKeyPair keyPair(int version, int algorithm, String jcaType) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaType, Providers.bouncyCastle());
        if (jcaType.equals("DSA")) {
            generator.initialize(2048);
        }
        return new JcaPGPKeyPair(version, algorithm, generator.generateKeyPair(), new Date());
    }

    private static void sign(Path artifact, PGPKeyPair key, int version) throws Exception {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                key.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA512).setProvider(Providers.bouncyCastle()),
                key.getPublicKey(), version);
        generator.init(PGPSignature.BINARY_DOCUMENT, key.getPrivateKey());
        generator.update(Files.readAllBytes(artifact));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().build(out)) {
            generator.generate().encode(armored);
        }
        Files.write(artifact.resolveSibling(artifact.getFileName() + ".asc"), out.toByteArray());
    }

    private static ReportEntry verify(Path artifact, PGPKeyPair key) {
        List<ReportEntry> entries = new Verifier(VerificationOptions.trusting(List.of())
                .withPgpKeys(List.of(key.getPublicKey()))).verify(artifact, artifact.getFileName().toString());
        assertEquals(entries.toString(), 1, entries.size());
        return entries.get(0);
    }

    private Path artifact(String name, String content) throws Exception {
        return Files.writeString(tmp.getRoot().toPath().resolve(name), content);
    }
}
