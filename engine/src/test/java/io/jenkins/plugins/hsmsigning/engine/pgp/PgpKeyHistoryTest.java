package io.jenkins.plugins.hsmsigning.engine.pgp;

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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A key whose self-signatures keep their history (gpg replaces the old one, other tools keep it): the self-signature
 * in effect when a signature was made decides whether the key had expired then.
 */
public class PgpKeyHistoryTest {

    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
    private static final String USER_ID = "Olga <olga@example.org>";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void extendingAnExpiredKeyDoesNotReviveWhatWasSignedWhileItWasExpired() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519", Providers.bouncyCastle());
        PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.Ed25519,
                generator.generateKeyPair(), Date.from(T0));
        PGPPublicKey key = pair.getPublicKey();
        key = certify(key, pair, day(0), Duration.ofDays(5));
        key = certify(key, pair, day(20), Duration.ofDays(400));
        Path early = sign(pair, "early.bin", day(3));
        Path gap = sign(pair, "gap.bin", day(10));
        Path renewed = sign(pair, "renewed.bin", day(21));

        assertEquals(Status.VERIFIED, verify(early, key).status());
        assertEquals(Failure.KEY_EXPIRED, verify(gap, key).failure());
        assertEquals(Status.VERIFIED, verify(renewed, key).status());
    }

    private static PGPPublicKey certify(PGPPublicKey key, PGPKeyPair pair, Instant at, Duration validity)
            throws Exception {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                key.getAlgorithm(), HashAlgorithmTags.SHA512).setProvider(Providers.bouncyCastle()), key);
        generator.init(PGPSignature.POSITIVE_CERTIFICATION, pair.getPrivateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, Date.from(at));
        hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
        hashed.setKeyExpirationTime(false, Duration.between(T0, at.plus(validity)).getSeconds());
        generator.setHashedSubpackets(hashed.generate());
        return PGPPublicKey.addCertification(key, USER_ID, generator.generateCertification(USER_ID, key));
    }

    private Path sign(PGPKeyPair pair, String name, Instant at) throws Exception {
        Path artifact = Files.writeString(tmp.getRoot().toPath().resolve(name), name);
        PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256).setProvider(Providers.bouncyCastle()),
                pair.getPublicKey());
        generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, Date.from(at));
        generator.setHashedSubpackets(hashed.generate());
        generator.update(Files.readAllBytes(artifact));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().build(out)) {
            generator.generate().encode(armored);
        }
        Files.write(artifact.resolveSibling(name + ".asc"), out.toByteArray());
        return artifact;
    }

    private static ReportEntry verify(Path artifact, PGPPublicKey key) {
        return new Verifier(VerificationOptions.trusting(List.of()).withPgpKeys(List.of(key)))
                .verify(artifact, artifact.getFileName().toString()).get(0);
    }

    private static Instant day(int n) {
        return T0.plus(Duration.ofDays(n));
    }
}
