package io.jenkins.plugins.hsmsigning.bench;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SignatureAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;
import net.jsign.AuthenticodeSigner;
import net.jsign.Signable;

/**
 * Where the engine's time goes for an embedded format (JAR or Authenticode), one step at a time on one thread over the
 * same files as the main measurement, after a warm-up: the steps {@code ArtifactSigner} takes for each artifact
 * (hash before, copy, sign the copy with the library, verify the copy, fsync and move, hash after), then the engine's
 * whole {@code ArtifactSigner.sign} per file, then the library alone (JarSigner / jsign with the engine's key, no copy,
 * no verification, no fsync) on {@code --threads} threads: roughly what the engine would take without its per-artifact
 * extras. All signing goes through the engine's token key, so the token's signature and its check are in every row.
 */
final class EmbeddedParts {

    private EmbeddedParts() {
    }

    static void main(String[] args) throws Exception {
        Options o = new Options(args);
        Format format = Format.parse(o.get("format"));
        Path inputs = Path.of(o.get("inputs"));
        Path work = Path.of(o.get("out"));
        int threads = o.getInt("threads", Runtime.getRuntime().availableProcessors());
        List<Path> files;
        try (Stream<Path> s = Files.list(inputs)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        EmbeddedFormat embedded = Formats.embedded(format);
        try (SigningKey key = EngineRun.source(o).open(Secret.of(Options.pin()))) {
            SignatureAlgorithm algorithm = key.algorithm(DigestAlgorithm.SHA256, false);
            VerificationOptions asEngine = VerificationOptions.trusting(List.of(key.chain().get(key.chain().size() - 1)));
            VerificationOptions integrityOnly = VerificationOptions.inspection();
            Library library = format == Format.JAR ? jar(key, algorithm) : authenticode(key, algorithm);
            int warm = Math.min(30, files.size());

            Path copies = dir(work.resolve("copies"));
            Path signed = dir(work.resolve("signed"));
            // warm-up of every step on a few files
            for (Path f : files.subList(0, warm)) {
                Path c = copies.resolve("warm-" + f.getFileName());
                Files.copy(f, c);
                ContentHashes.sha256Hex(c);
                Path s = signed.resolve("warm-" + f.getFileName());
                library.sign(c, s);
                embedded.verify(s, f.getFileName().toString(), asEngine);
                embedded.verify(s, f.getFileName().toString(), integrityOnly);
            }

            long hash = time(files, f -> ContentHashes.sha256Hex(f));
            long copy = time(files, f -> Files.copy(f, copies.resolve(f.getFileName())));
            long sign = time(files, f -> library.sign(copies.resolve(f.getFileName()), signed.resolve(f.getFileName())));
            long verifyEngine = time(files, f -> check(embedded.verify(signed.resolve(f.getFileName()),
                    f.getFileName().toString(), asEngine), true));
            long verifyIntegrity = time(files, f -> check(embedded.verify(signed.resolve(f.getFileName()),
                    f.getFileName().toString(), integrityOnly), false));
            long replace = time(files, f -> AtomicFiles.replace(signed.resolve(f.getFileName()),
                    copies.resolve(f.getFileName())));

            // the engine's whole path, one artifact at a time
            Path engineDir = dir(work.resolve("engine"));
            for (Path f : files) {
                Files.copy(f, engineDir.resolve(f.getFileName()));
            }
            ArtifactSigner signer = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(format)));
            long engine = time(files, f -> {
                for (ReportEntry e : signer.sign(engineDir.resolve(f.getFileName()), f.getFileName().toString())) {
                    if (e.failed()) {
                        throw new IllegalStateException(e.reason());
                    }
                }
            });

            // the library alone, on the engine's thread count
            Path leanIn = dir(work.resolve("lean-in"));
            Path leanOut = dir(work.resolve("lean-out"));
            for (Path f : files) {
                Files.copy(f, leanIn.resolve(f.getFileName()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long a = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (Path f : files) {
                futures.add(pool.submit(() -> {
                    library.sign(leanIn.resolve(f.getFileName()), leanOut.resolve(f.getFileName()));
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get();
            }
            long lean = System.nanoTime() - a;

            // the engine's signAll on the same thread count, in this warm JVM
            Path allDir = dir(work.resolve("engine-all"));
            List<ArtifactSigner.Artifact> artifacts = new ArrayList<>();
            for (Path f : files) {
                Files.copy(f, allDir.resolve(f.getFileName()));
                artifacts.add(new ArtifactSigner.Artifact(allDir.resolve(f.getFileName()), f.getFileName().toString()));
            }
            a = System.nanoTime();
            for (ReportEntry e : signer.signAll(artifacts, threads)) {
                if (e.failed()) {
                    throw new IllegalStateException(e.reason());
                }
            }
            long engineAll = System.nanoTime() - a;

            // A prototype of the engine's path with the proposed changes, same thread count: the SHA-256 "before"
            // computed while copying, the copy signed and then verified for integrity only (no PKIX), the SHA-256
            // "after", and the atomic move without fsync. The copy is still verified before it replaces the artifact.
            Path protoDir = dir(work.resolve("proposed"));
            for (Path f : files) {
                Files.copy(f, protoDir.resolve(f.getFileName()));
            }
            a = System.nanoTime();
            futures.clear();
            for (Path f : files) {
                futures.add(pool.submit(() -> {
                    Path artifact = protoDir.resolve(f.getFileName());
                    Path temp = AtomicFiles.tempBeside(artifact);
                    java.security.MessageDigest before = java.security.MessageDigest.getInstance("SHA-256");
                    try (java.io.InputStream in = new java.security.DigestInputStream(Files.newInputStream(artifact),
                            before); OutputStream out = Files.newOutputStream(temp)) {
                        in.transferTo(out);
                    }
                    if (format == Format.JAR) {
                        Path signedTemp = AtomicFiles.tempBeside(artifact);
                        library.sign(temp, signedTemp);
                        Files.delete(temp);
                        temp = signedTemp;
                    } else {
                        library.sign(temp, temp);
                    }
                    check(embedded.verify(temp, f.getFileName().toString(), integrityOnly), false);
                    ContentHashes.sha256Hex(temp);
                    Files.move(temp, artifact, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get();
            }
            long proposed = System.nanoTime() - a;
            pool.shutdown();

            System.out.printf("RESULT files=%d hashMs=%.1f copyMs=%.1f libSignMs=%.1f verifyAsEngineMs=%.1f"
                    + " verifyIntegrityOnlyMs=%.1f fsyncReplaceMs=%.1f engineSignMs=%.1f libOnlyThreadsMs=%.1f"
                    + " engineSignAllThreadsMs=%.1f proposedThreadsMs=%.1f threads=%d%n", files.size(), hash / 1e6,
                    copy / 1e6, sign / 1e6, verifyEngine / 1e6, verifyIntegrity / 1e6, replace / 1e6, engine / 1e6,
                    lean / 1e6, engineAll / 1e6, proposed / 1e6, threads);
        }
    }

    interface Step {
        void run(Path file) throws Exception;
    }

    interface Library {
        /** Signs {@code source} into {@code target} (which may be the same path for jsign). */
        void sign(Path source, Path target) throws Exception;
    }

    private static long time(List<Path> files, Step step) throws Exception {
        long a = System.nanoTime();
        for (Path f : files) {
            step.run(f);
        }
        return System.nanoTime() - a;
    }

    private static void check(List<VerificationOutcome> outcomes, boolean untrustedOk) {
        for (VerificationOutcome o : outcomes) {
            if (o.valid() || (untrustedOk && o.failure() == io.jenkins.plugins.hsmsigning.engine.report.Failure.UNTRUSTED)) {
                return;
            }
        }
        throw new IllegalStateException("a signed copy did not verify: "
                + (outcomes.isEmpty() ? "no signature" : outcomes.get(0).reason()));
    }

    private static Path dir(Path p) throws Exception {
        Orchestrator.deleteTree(p);
        return Files.createDirectories(p);
    }

    private static Library jar(SigningKey key, SignatureAlgorithm algorithm) throws Exception {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(key.chain());
        JarSigner jarSigner = new JarSigner.Builder(key.jcaKey(), path).digestAlgorithm("SHA-256")
                .signatureAlgorithm(algorithm.jcaName(), key.jcaProvider()).signerName("SIGNER").build();
        return (source, target) -> {
            try (ZipFile in = new ZipFile(source.toFile()); OutputStream out = Files.newOutputStream(target)) {
                jarSigner.sign(in, out);
            }
        };
    }

    private static Library authenticode(SigningKey key, SignatureAlgorithm algorithm) {
        return (source, target) -> {
            // jsign signs in place: sign a copy at the target path
            if (!source.equals(target)) {
                Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            AuthenticodeSigner signer = new AuthenticodeSigner(key.chain().toArray(new Certificate[0]), key.jcaKey())
                    .withSignatureAlgorithm(algorithm.jcaName(), key.jcaProvider())
                    .withDigestAlgorithm(net.jsign.DigestAlgorithm.SHA256)
                    .withTimestamping(false);
            try (Signable signable = Signable.of(target.toFile())) {
                signer.sign(signable);
            }
        };
    }
}
