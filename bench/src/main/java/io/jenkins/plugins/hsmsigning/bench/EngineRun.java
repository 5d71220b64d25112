package io.jenkins.plugins.hsmsigning.bench;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.prehash.Prehash;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One engine run, as a build would do it: open the token key, sign every file of a directory with
 * {@link ArtifactSigner#signAll}, close. With {@code --jobs J}, J threads do this at once, each opening the key
 * itself and signing its share of the files, as J concurrent Jenkins builds on one controller would.
 *
 * <p>Timing: a first key open configures the SunPKCS11 provider and logs in ("setup", as the first signing build on
 * a controller pays it); it stays open so the token stays logged in, as on a controller with builds running. "run"
 * then covers every job's own open, its signing and its close. With one job, as in {@code hsmsign sign}, detached
 * artifacts are read and hashed ({@link Prehash}) while the first open sets up and logs in, so part of the hashing
 * falls into "setup", and only the whole-process time compares with other tools. Prints one {@code RESULT} line;
 * {@code FAILURE} lines for failed entries.
 */
final class EngineRun {

    private EngineRun() {
    }

    static Pkcs11KeySource source(Options o) throws Exception {
        return Pkcs11KeySource.library(Path.of(o.get("library")))
                .tokenLabel(o.get("token"))
                .keyAlias(o.get("alias"))
                .certificateChain(readCertificates(Path.of(o.get("chain"))))
                .maxConcurrentOperations(o.getInt("max-ops", Pkcs11KeySource.DEFAULT_MAX_CONCURRENT_OPERATIONS));
    }

    static void main(String[] args) throws Exception {
        long jvmUptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();
        Options o = new Options(args);
        Format format = Format.parse(o.get("format"));
        int threads = o.getInt("threads", Runtime.getRuntime().availableProcessors());
        int jobs = o.getInt("jobs", 1);
        Path inputs = Path.of(o.get("inputs"));
        String out = o.get("out", null);
        SigningOptions options = SigningOptions.defaults().formats(Set.of(format));
        if (out != null) {
            options = options.outputDirectory(Path.of(out));
        }
        List<ArtifactSigner.Artifact> artifacts;
        try (Stream<Path> files = Files.list(inputs)) {
            artifacts = files.filter(Files::isRegularFile).sorted()
                    .map(p -> new ArtifactSigner.Artifact(p, p.getFileName().toString()))
                    .collect(Collectors.toList());
        }
        List<List<ArtifactSigner.Artifact>> shares = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < artifacts.size(); i++) {
            shares.get(i % jobs).add(artifacts.get(i));
        }

        Pkcs11KeySource source = source(o);
        char[] pin = Options.pin();
        long uptimeAtSetup = ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        // As hsmsign does: one job's detached artifacts are read and hashed while the first key open logs in.
        Prehash prehash = jobs == 1
                ? Prehash.start(artifacts.stream().map(ArtifactSigner.Artifact::file).toList(), options) : null;
        SigningKey first = source.open(Secret.of(pin));
        long t1 = System.nanoTime();
        List<ReportEntry> entries = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong openNanos = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong openMaxNanos = new java.util.concurrent.atomic.AtomicLong();
        final SigningOptions jobOptions = options;
        for (int j = 0; j < jobs; j++) {
            List<ArtifactSigner.Artifact> share = shares.get(j);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    long openStart = System.nanoTime();
                    SigningKey opened = source.open(Secret.of(pin));
                    long openTime = System.nanoTime() - openStart;
                    openNanos.addAndGet(openTime);
                    openMaxNanos.accumulateAndGet(openTime, Math::max);
                    try (SigningKey key = opened) {
                        entries.addAll(new ArtifactSigner(key, jobOptions, prehash).signAll(share, threads));
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }, "job-" + j);
            workers.add(t);
            t.start();
        }
        long rchar0 = rchar();
        long t2 = System.nanoTime();
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }
        long t3 = System.nanoTime();
        long rchar1 = rchar();
        String warm = warmRounds(o, source, pin, options, artifacts, threads, entries);
        first.close();
        java.util.Arrays.fill(pin, '\0');
        if (error.get() != null) {
            error.get().printStackTrace();
            System.exit(1);
        }
        long failed = entries.stream().filter(ReportEntry::failed).count();
        entries.stream().filter(ReportEntry::failed).limit(5)
                .forEach(e -> System.out.println("FAILURE " + e.path() + ": " + e.reason()));
        System.out.printf("RESULT jvmStartMs=%d beforeSetupMs=%d setupMs=%.1f runMs=%.1f openSumMs=%.1f openMaxMs=%.1f"
                + " endUptimeMs=%d files=%d entries=%d failed=%d jobs=%d threads=%d rchar=%d%s%n", jvmUptimeAtMain,
                uptimeAtSetup, (t1 - t0) / 1e6, (t3 - t2) / 1e6, openNanos.get() / 1e6, openMaxNanos.get() / 1e6,
                ManagementFactory.getRuntimeMXBean().getUptime(), artifacts.size(), entries.size(), failed, jobs,
                threads, rchar1 - rchar0, warm);
        int rounds = 1 + o.getInt("warm-rounds", 0);
        System.exit(failed == 0 && entries.size() == rounds * artifacts.size() ? 0 : 1);
    }

    /**
     * With {@code --warm-rounds K}: after the measured run, signs the same set K more times in this JVM, as a
     * long-running Jenkins controller signs build after build (each round opens the key, signs on {@code threads},
     * closes). Detached signatures go to {@code --out}/warm-N; embedded formats sign fresh copies of {@code --pristine}
     * made in {@code --warm-dir}/N before the round's clock starts. Returns " warmRunMs=…" for the last round.
     */
    private static String warmRounds(Options o, Pkcs11KeySource source, char[] pin, SigningOptions options,
            List<ArtifactSigner.Artifact> measured, int threads, List<ReportEntry> entries) throws Exception {
        int rounds = o.getInt("warm-rounds", 0);
        double lastMs = 0;
        for (int round = 1; round <= rounds; round++) {
            SigningOptions roundOptions = options;
            List<ArtifactSigner.Artifact> artifacts = measured;
            if (options.outputDirectory() != null) {
                roundOptions = options.outputDirectory(options.outputDirectory().resolve("warm-" + round));
            } else {
                Path dir = Files.createDirectories(Path.of(o.get("warm-dir")).resolve(Integer.toString(round)));
                artifacts = new ArrayList<>();
                for (ArtifactSigner.Artifact a : measured) {
                    Path copy = dir.resolve(a.file().getFileName());
                    Files.copy(Path.of(o.get("pristine")).resolve(a.file().getFileName()), copy);
                    artifacts.add(new ArtifactSigner.Artifact(copy, a.displayPath()));
                }
            }
            long start = System.nanoTime();
            try (SigningKey key = source.open(Secret.of(pin))) {
                entries.addAll(new ArtifactSigner(key, roundOptions).signAll(artifacts, threads));
            }
            lastMs = (System.nanoTime() - start) / 1e6;
        }
        return rounds == 0 ? "" : String.format(java.util.Locale.ROOT, " warmRunMs=%.1f warmRounds=%d", lastMs, rounds);
    }

    /** Bytes this process has read with read(2) and the like so far (page cache hits included), from /proc. */
    static long rchar() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("rchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (Exception e) {
            // not Linux: the figure is left out
        }
        return -1;
    }

    /** The engine's OpenPGP public key of a token key, armored, on stdout. */
    static void exportPgp(String[] args) throws Exception {
        Options o = new Options(args);
        try (SigningKey key = source(o).open(Secret.of(Options.pin()))) {
            String armored = PgpKeys.exportArmored(key, o.get("uid", null));
            Files.writeString(Path.of(o.get("output")), armored, StandardCharsets.US_ASCII);
        }
    }

    static List<X509Certificate> readCertificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            return certs;
        }
    }
}
