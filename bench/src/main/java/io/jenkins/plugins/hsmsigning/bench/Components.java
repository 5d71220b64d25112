package io.jenkins.plugins.hsmsigning.bench;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.cms.CmsFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.SignedResult;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the engine's time for detached CMS goes, one step at a time on one thread, over the same files as the main
 * measurement: reading and hashing, the token signature with the engine's check of it, building the CMS structure,
 * and writing the signature files (plainly, and the engine's way: temporary file, fsync, atomic move). Each step is
 * timed over all files after a warm-up pass over a few, so JIT compilation is mostly left out.
 */
final class Components {

    private Components() {
    }

    static void main(String[] args) throws Exception {
        Options o = new Options(args);
        Path inputs = Path.of(o.get("inputs"));
        Path out = Path.of(o.get("out"));
        Files.createDirectories(out);
        List<Path> files;
        try (Stream<Path> s = Files.list(inputs)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        SigningOptions options = SigningOptions.defaults();
        Timestamper timestamper = new Timestamper(options.timestamps());
        CmsFormat cms = new CmsFormat();
        try (SigningKey key = EngineRun.source(o).open(Secret.of(Options.pin()))) {
            SignatureAlgorithm alg = key.algorithm(DigestAlgorithm.SHA256, false);
            // warm-up
            for (Path f : files.subList(0, Math.min(20, files.size()))) {
                ContentHashes c = ContentHashes.of(f, Set.of(DigestAlgorithm.SHA256));
                cms.sign(key, options, timestamper, c, f.getFileName().toString());
            }
            long a = System.nanoTime();
            List<ContentHashes> hashes = new ArrayList<>();
            for (Path f : files) {
                hashes.add(ContentHashes.of(f, Set.of(DigestAlgorithm.SHA256)));
            }
            long hashNs = System.nanoTime() - a;

            a = System.nanoTime();
            for (ContentHashes c : hashes) {
                key.signDigest(alg, c.digest(DigestAlgorithm.SHA256));
            }
            long signDigestNs = System.nanoTime() - a;

            // the check SigningKey does after each signature, alone: verify with Bouncy Castle vs the JDK
            byte[] digest = hashes.get(0).digest(DigestAlgorithm.SHA256);
            byte[] sig = key.signDigest(alg, digest);
            byte[] input = key.keyAlgorithm().equals("RSA")
                    ? new org.bouncycastle.asn1.x509.DigestInfo(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                            org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256, org.bouncycastle.asn1.DERNull.INSTANCE), digest)
                            .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER)
                    : digest;
            String raw = key.keyAlgorithm().equals("RSA") ? "NONEwithRSA" : "NONEwithECDSA";
            java.security.Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
            java.security.PublicKey certKey = key.certificate().getPublicKey();
            // as SigningKey.checkSignature does it: the certificate's (JDK) key, converted by BC on every init
            long bcNs = verifyLoop(Signature.getInstance(raw, bc), certKey, input, sig, files.size());
            // the same with the key converted to a BC key once and kept, so BC keeps its point precomputations
            java.security.PublicKey bcKey = java.security.KeyFactory.getInstance(key.keyAlgorithm(), bc)
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(certKey.getEncoded()));
            long bcCachedNs = verifyLoop(Signature.getInstance(raw, bc), bcKey, input, sig, files.size());
            long jdkNs = verifyLoop(Signature.getInstance(raw), certKey, input, sig, files.size());

            a = System.nanoTime();
            List<byte[]> signatures = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                SignedResult r = cms.sign(key, options, timestamper, hashes.get(i), files.get(i).getFileName().toString());
                signatures.add(r.signatureFile());
            }
            long cmsNs = System.nanoTime() - a;

            a = System.nanoTime();
            for (int i = 0; i < files.size(); i++) {
                Files.write(out.resolve(files.get(i).getFileName() + ".plain.p7s"), signatures.get(i));
            }
            long plainNs = System.nanoTime() - a;

            a = System.nanoTime();
            for (int i = 0; i < files.size(); i++) {
                AtomicFiles.write(out.resolve(files.get(i).getFileName() + ".p7s"), signatures.get(i));
            }
            long atomicNs = System.nanoTime() - a;

            // the engine's signAll in this warm JVM, 1 thread and --threads threads
            int threads = o.getInt("threads", Runtime.getRuntime().availableProcessors());
            List<io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact> artifacts = new ArrayList<>();
            for (Path f : files) {
                artifacts.add(new io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact(f,
                        f.getFileName().toString()));
            }
            long[] all = new long[2];
            int[] counts = {1, threads};
            for (int i = 0; i < 2; i++) {
                Path dir = out.resolve("signAll-" + counts[i]);
                Files.createDirectories(dir);
                var signer = new io.jenkins.plugins.hsmsigning.engine.ArtifactSigner(key,
                        options.formats(Set.of(io.jenkins.plugins.hsmsigning.engine.formats.Format.CMS))
                                .outputDirectory(dir));
                a = System.nanoTime();
                for (var e : signer.signAll(artifacts, counts[i])) {
                    if (e.failed()) {
                        throw new IllegalStateException(e.reason());
                    }
                }
                all[i] = System.nanoTime() - a;
            }
            // A prototype of the same work with the proposed change: temporary file and atomic move, no fsync
            Path protoDir = out.resolve("proposed");
            Files.createDirectories(protoDir);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            a = System.nanoTime();
            for (Path f : files) {
                futures.add(pool.submit(() -> {
                    ContentHashes c = ContentHashes.of(f, Set.of(DigestAlgorithm.SHA256));
                    byte[] p7s = cms.sign(key, options, timestamper, c, f.getFileName().toString()).signatureFile();
                    Path target = protoDir.resolve(f.getFileName() + ".p7s");
                    Path temp = AtomicFiles.tempBeside(target);
                    Files.write(temp, p7s);
                    Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return null;
                }));
            }
            for (var fu : futures) {
                fu.get();
            }
            long proposed = System.nanoTime() - a;
            pool.shutdown();

            System.out.printf("RESULT signAll1Ms=%.1f signAllThreadsMs=%.1f proposedThreadsMs=%.1f threads=%d ",
                    all[0] / 1e6, all[1] / 1e6, proposed / 1e6, threads);
            System.out.printf("alias=%s files=%d hashMs=%.1f signDigestMs=%.1f verifyBcMs=%.1f verifyBcCachedKeyMs=%.1f"
                    + " verifyJdkMs=%.1f cmsSignMs=%.1f writePlainMs=%.1f writeAtomicFsyncMs=%.1f%n", o.get("alias"), files.size(),
                    hashNs / 1e6, signDigestNs / 1e6, bcNs / 1e6, bcCachedNs / 1e6, jdkNs / 1e6, cmsNs / 1e6, plainNs / 1e6,
                    atomicNs / 1e6);
        }
    }

    private static long verifyLoop(Signature verifier, java.security.PublicKey publicKey, byte[] input, byte[] sig,
            int n) throws Exception {
        for (int i = 0; i < 50; i++) {
            verifier.initVerify(publicKey);
            verifier.update(input);
            verifier.verify(sig);
        }
        long a = System.nanoTime();
        for (int i = 0; i < n; i++) {
            verifier.initVerify(publicKey);
            verifier.update(input);
            if (!verifier.verify(sig)) {
                throw new IllegalStateException("bad signature");
            }
        }
        return System.nanoTime() - a;
    }
}
