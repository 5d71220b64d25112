package io.jenkins.plugins.hsmsigning.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@link Verifier} on an arbitrary artifact with arbitrary {@code .p7s} and {@code .asc} files beside it, or with
 * real signatures of it (CMS and OpenPGP, made once by the test token) mutated by the fuzzer. The verifier must
 * return entries, never throw; every FAILED entry is one sentence naming the artifact; nothing is written and the
 * artifact is unchanged.
 */
class VerifierFuzzTest {

    private static byte[] artifact;
    private static byte[] p7s;
    private static byte[] asc;
    private static Verifier verifier;

    private static synchronized void prepare() throws Exception {
        if (verifier != null) {
            return;
        }
        Path dir = FuzzSupport.freshDirectory();
        Path file = Files.write(dir.resolve("good.bin"), "an artifact to sign\n".getBytes(StandardCharsets.UTF_8));
        new ArtifactSigner(FuzzSupport.key(), SigningOptions.defaults().formats(Set.of(Format.CMS, Format.PGP)))
                .sign(file, "good.bin");
        artifact = Files.readAllBytes(file);
        p7s = Files.readAllBytes(dir.resolve("good.bin.p7s"));
        asc = Files.readAllBytes(dir.resolve("good.bin.asc"));
        String pgpKey = PgpKeys.exportArmored(FuzzSupport.key(), null);
        verifier = new Verifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate()))
                .withPgpKeys(PgpKeys.read(pgpKey.getBytes(StandardCharsets.US_ASCII), "key.asc")));
    }

    @FuzzTest
    void verify(FuzzedDataProvider data) throws Exception {
        prepare();
        boolean mutated = data.consumeBoolean();
        byte[] signatureCms = data.consumeBoolean() ? mutated ? FuzzSupport.mutate(p7s, data)
                : data.consumeBytes(data.consumeInt(0, 4096)) : null;
        byte[] signaturePgp = data.consumeBoolean() ? mutated ? FuzzSupport.mutate(asc, data)
                : data.consumeBytes(data.consumeInt(0, 4096)) : null;
        byte[] content = mutated ? FuzzSupport.mutate(artifact, data) : data.consumeRemainingAsBytes();
        FuzzSupport.dump("good.bin", content);
        if (signatureCms != null) {
            FuzzSupport.dump("good.bin.p7s", signatureCms);
        }
        if (signaturePgp != null) {
            FuzzSupport.dump("good.bin.asc", signaturePgp);
        }
        Path dir = FuzzSupport.freshDirectory();
        try {
            Path file = Files.write(dir.resolve("good.bin"), content);
            if (signatureCms != null) {
                Files.write(dir.resolve("good.bin.p7s"), signatureCms);
            }
            if (signaturePgp != null) {
                Files.write(dir.resolve("good.bin.asc"), signaturePgp);
            }
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
            List<ReportEntry> entries = verifier.verify(file, "good.bin");
            if (entries.isEmpty()) {
                throw new IllegalStateException("no report entry");
            }
            for (ReportEntry entry : entries) {
                FuzzSupport.checkEntry(entry, "good.bin");
            }
            if (!Arrays.equals(hash, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))) {
                throw new IllegalStateException("verification changed the artifact");
            }
            try (var files = Files.list(dir)) {
                if (files.count() != 1 + (signatureCms != null ? 1 : 0) + (signaturePgp != null ? 1 : 0)) {
                    throw new IllegalStateException("verification wrote a file");
                }
            }
        } finally {
            FuzzSupport.deleteTree(dir);
        }
    }
}
