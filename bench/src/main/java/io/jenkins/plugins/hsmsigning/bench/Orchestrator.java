package io.jenkins.plugins.hsmsigning.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs every measurement side by side: repetitions outermost, and within each repetition every section's methods in
 * an order rotated by one per repetition, so that drift in the machine's load spreads over all methods. Each method
 * is one process (an engine JVM, or a bash loop that starts a signing tool once per file), timed from start to exit.
 * After its first repetition, each method's output is checked with an independent tool (untimed). Writes the report.
 */
final class Orchestrator {

    /** A step that runs before a measurement, untimed: clean an output directory, copy pristine inputs. */
    interface Step {
        void run() throws Exception;
    }

    enum Kind { ENGINE, TOOL, RAW }

    static final class Method {
        final String id;
        final String section;
        final String label;
        final Kind kind;
        final List<String> command;
        final Step prepare;
        final String check;
        final long inputBytes;

        Method(String id, String section, String label, Kind kind, List<String> command, Step prepare, String check,
                long inputBytes) {
            this.id = id;
            this.section = section;
            this.label = label;
            this.kind = kind;
            this.command = command;
            this.prepare = prepare;
            this.check = check;
            this.inputBytes = inputBytes;
        }
    }

    /** One repetition of one method. */
    static final class Sample {
        double wallS;
        Map<String, String> result = new HashMap<>();
        Long rssKb;
        String error;

        Double num(String key) {
            String v = result.get(key);
            return v == null ? null : Double.parseDouble(v);
        }
    }

    /**
     * Batches a warm JVM signs after its first; the last one is the "warm" figure. The JIT keeps improving the code
     * over the first few batches; by the fifth it is where a controller that has signed for a while stays.
     */
    private static final int WARM_ROUNDS = 4;
    private static final String WARM_LABEL = "engine, warm JVM (as a Jenkins controller that has signed before; "
            + "in-JVM = its fifth batch of the same set, wall = all five), ";

    private final Properties cfg = new Properties();
    private final Path work;
    private final Path logs;
    final int reps;
    /** {@code bench/run --peers}: only what issue 21's table needs, reported as its own section. */
    private final boolean peersOnly;
    private final boolean quick;
    final int nproc;
    private final String javaBin;
    private final String classpath;
    final Map<String, Method> methods = new LinkedHashMap<>();
    final Map<String, List<Sample>> samples = new HashMap<>();
    private final Map<String, String> checks = new LinkedHashMap<>();
    private final List<String> loadPerRep = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** The issue-21 peers, defined after the engine's own methods. */
    private Peers peers;
    private String loadAtStart;
    private String loadAtEnd;
    private ZonedDateTime started;
    private ZonedDateTime ended;

    private Orchestrator(Path config) throws IOException {
        try (Reader r = Files.newBufferedReader(config)) {
            cfg.load(r);
        }
        work = Path.of(c("work"));
        logs = work.resolve("logs");
        Files.createDirectories(logs);
        reps = Integer.parseInt(c("reps"));
        quick = Boolean.parseBoolean(c("quick"));
        peersOnly = Boolean.parseBoolean(c("peersOnly", "false"));
        nproc = Runtime.getRuntime().availableProcessors();
        javaBin = ProcessHandle.current().info().command().orElse("java");
        classpath = System.getProperty("java.class.path");
    }

    static void main(String[] args) throws Exception {
        Options o = new Options(args);
        Orchestrator orchestrator = new Orchestrator(Path.of(o.get("config")));
        orchestrator.define();
        orchestrator.runAll();
        if (orchestrator.peersOnly) {
            orchestrator.peersReport(Path.of(orchestrator.c("output")));
        } else {
            orchestrator.report(Path.of(orchestrator.c("output")));
        }
    }

    String c(String key) {
        String v = cfg.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + " in the bench configuration");
        }
        return v;
    }

    String c(String key, String fallback) {
        return cfg.getProperty(key, fallback);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The methods

    private void define() throws IOException {
        Path blobs = Path.of(c("blobs"));
        Path jars = Path.of(c("jars"));
        Path pes = Path.of(c("pe"));
        long blobBytes = dirBytes(blobs);
        long jarBytes = dirBytes(jars);
        long peBytes = dirBytes(pes);
        String ca = c("ca");
        String first = firstFile(blobs);
        String last = lastFile(blobs);

        // --- detached CMS
        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            String id = "cms-engine-" + k[0];
            Path out = out(id);
            add(new Method(id, "cms", "engine, one JVM, " + nproc + " threads", Kind.ENGINE,
                    engine(List.of(), "cms", k[1], nproc, 1, blobs, out), clean(out),
                    cmsCheck(blobs, out, ".p7s", first, last, ca), blobBytes));
        }
        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            String id = "cms-engine-" + k[0] + "-warm";
            Path out = out(id);
            List<String> cmd = new ArrayList<>(engine(List.of(), "cms", k[1], nproc, 1, blobs, out));
            cmd.addAll(List.of("--warm-rounds", Integer.toString(WARM_ROUNDS)));
            add(new Method(id, "cms", WARM_LABEL + nproc + " threads", Kind.ENGINE, cmd, clean(out),
                    cmsCheck(blobs, out.resolve("warm-" + WARM_ROUNDS), ".p7s", first, last, ca), blobBytes));
        }
        {
            String id = "cms-engine-rsa-1t";
            Path out = out(id);
            add(new Method(id, "cms", "engine, one JVM, 1 thread", Kind.ENGINE,
                    engine(List.of(), "cms", "rsa3072", 1, 1, blobs, out), clean(out),
                    cmsCheck(blobs, out, ".p7s", first, last, ca), blobBytes));
        }
        for (String[] k : new String[][] {{"rsa", c("sw.cert"), c("sw.key")}, {"ec", c("swec.cert"), c("swec.key")}}) {
            String id = "cms-openssl-" + k[0];
            Path out = out(id);
            String sign = "openssl cms -sign -binary -md sha256 -outform DER -signer " + q(k[1]) + " -inkey "
                    + q(k[2]) + " -certfile " + q(ca) + " -in \"$f\" -out " + q(out.toString()) + "/\"${f##*/}.p7s\"";
            add(new Method(id, "cms", "`openssl cms -sign` once per file", Kind.TOOL,
                    bash("for f in " + q(blobs.toString()) + "/*; do " + sign + "; done"), clean(out),
                    cmsCheck(blobs, out, ".p7s", first, last, ca), blobBytes));
            if (k[0].equals("rsa")) {
                String pid = "cms-openssl-rsa-p" + nproc;
                Path pout = out(pid);
                String psign = sign.replace(q(out.toString()), q(pout.toString()));
                add(new Method(pid, "cms", "`openssl cms -sign` once per file, " + nproc + " at a time (xargs -P)",
                        Kind.TOOL, bash("printf '%s\\0' " + q(blobs.toString()) + "/* | xargs -0 -n 25 -P " + nproc
                                + " bash -c 'for f; do " + psign.replace("'", "'\\''") + "; done' _"),
                        clean(pout), cmsCheck(blobs, pout, ".p7s", first, last, ca), blobBytes));
            }
        }
        {
            String id = "gpg-rsa";
            Path out = out(id);
            String gpg = "gpg --homedir " + q(c("gpg.home")) + " --batch --yes --quiet --pinentry-mode loopback "
                    + "--passphrase '' --local-user " + c("gpg.key") + " --digest-algo SHA256";
            add(new Method(id, "cms", "`gpg --detach-sign` once per file", Kind.TOOL,
                    bash("for f in " + q(blobs.toString()) + "/*; do " + gpg + " --detach-sign --output "
                            + q(out.toString()) + "/\"${f##*/}.sig\" \"$f\"; done"), clean(out),
                    "set -e; for f in " + q(first) + " " + q(last) + "; do gpg --homedir " + q(c("gpg.home"))
                            + " --batch --verify " + q(out.toString()) + "/\"${f##*/}.sig\" \"$f\"; done",
                    blobBytes));
        }
        add(new Method("floor-sha256sum", "cms", "`sha256sum` over the same files (one process)", Kind.TOOL,
                bash("sha256sum " + q(blobs.toString()) + "/* > /dev/null"), () -> { }, null, blobBytes));
        add(new Method("floor-openssl-dgst", "cms", "`openssl dgst -sha256` over the same files (one process)",
                Kind.TOOL, bash("openssl dgst -sha256 " + q(blobs.toString()) + "/* > /dev/null"), () -> { }, null,
                blobBytes));
        int count = Files.list(blobs).mapToInt(p -> 1).sum();
        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            List<String> cmd = new ArrayList<>(javaCmd(List.of()));
            cmd.addAll(List.of("raw", "--library", c("library"), "--slot", c("slot"), "--token", c("token"),
                    "--alias", k[1], "--chain", ca, "--count", Integer.toString(count)));
            add(new Method("floor-raw-" + k[0], "cms", count + " raw signatures on the token (SunPKCS11)", Kind.RAW,
                    cmd, () -> { }, null, 0));
        }

        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            String id = "components-" + k[0];
            Path out = out(id);
            List<String> cmd = new ArrayList<>(javaCmd(List.of()));
            cmd.addAll(List.of("components", "--library", c("library"), "--token", c("token"), "--alias", k[1],
                    "--chain", ca, "--inputs", blobs.toString(), "--out", out.toString()));
            add(new Method(id, "cms", "the engine's CMS steps one at a time, 1 thread", Kind.RAW, cmd, clean(out), null,
                    blobBytes));
        }

        // --- OpenPGP
        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            String id = "pgp-engine-" + k[0];
            Path out = out(id);
            add(new Method(id, "pgp", "engine, one JVM, " + nproc + " threads", Kind.ENGINE,
                    engine(List.of(), "pgp", k[1], nproc, 1, blobs, out), clean(out),
                    "set -e; for f in " + q(first) + " " + q(last) + "; do gpg --homedir " + q(c("gpg.verifyHome"))
                            + " --batch --verify " + q(out.toString()) + "/\"${f##*/}.asc\" \"$f\"; done",
                    blobBytes));
        }

        // --- JAR
        String firstJar = firstFile(jars);
        String jarVerify = "jarsigner -verify -strict -keystore " + q(c("trust.p12")) + " -storetype PKCS12 "
                + "-storepass " + q(c("sw.pass"));
        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            String id = "jar-engine-" + k[0];
            Path dir = emb(id);
            add(new Method(id, "jar", "engine, one JVM, " + nproc + " threads", Kind.ENGINE,
                    engine(List.of(), "jar", k[1], nproc, 1, dir, null), copy(jars, dir),
                    embeddedCheck(jarVerify, dir, firstJar, lastFile(jars), "jar verified."), jarBytes));
        }
        add(warmEmbedded("jar-engine-rsa-warm", "jar", jars, jarVerify, "jar verified.", jarBytes));
        {
            String id = "jar-jarsigner-rsa";
            Path out = out(id);
            add(new Method(id, "jar", "`jarsigner` once per file (software PKCS12)", Kind.TOOL,
                    bash("for f in " + q(jars.toString()) + "/*; do jarsigner -keystore " + q(c("sw.p12"))
                            + " -storetype PKCS12 -storepass " + q(c("sw.pass")) + " -digestalg SHA-256 "
                            + "-sigalg SHA256withRSA -signedjar " + q(out.toString()) + "/\"${f##*/}\" \"$f\" "
                            + c("sw.alias") + " > /dev/null; done"),
                    clean(out), embeddedCheck(jarVerify, out, firstJar, lastFile(jars), "jar verified."), jarBytes));
        }

        add(parts("jar-parts-rsa", "jar", jars));

        // --- PE
        String firstPe = firstFile(pes);
        String peVerify = "osslsigncode verify -CAfile " + q(ca) + " -in";
        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            String id = "pe-engine-" + k[0];
            Path dir = emb(id);
            add(new Method(id, "pe", "engine, one JVM, " + nproc + " threads", Kind.ENGINE,
                    engine(List.of(), "authenticode", k[1], nproc, 1, dir, null), copy(pes, dir),
                    embeddedCheck(peVerify, dir, firstPe, lastFile(pes), "Signature verification: ok"), peBytes));
        }
        add(warmEmbedded("pe-engine-rsa-warm", "authenticode", pes, peVerify, "Signature verification: ok",
                peBytes));
        {
            String id = "pe-osslsigncode-rsa";
            Path out = out(id);
            add(new Method(id, "pe", "`osslsigncode sign` once per file (software PKCS12)", Kind.TOOL,
                    bash("for f in " + q(pes.toString()) + "/*; do osslsigncode sign -pkcs12 " + q(c("sw.p12"))
                            + " -pass " + q(c("sw.pass")) + " -h sha256 -in \"$f\" -out " + q(out.toString())
                            + "/\"${f##*/}\" > /dev/null; done"),
                    clean(out), embeddedCheck(peVerify, out, firstPe, lastFile(pes), "Signature verification: ok"),
                    peBytes));
        }

        add(parts("pe-parts-rsa", "authenticode", pes));

        // --- 16 concurrent jobs on one token
        for (String[] k : new String[][] {{"rsa", "rsa3072"}, {"ec", "ecp256"}}) {
            String id = "conc-16-" + k[0];
            Path out = out(id);
            add(new Method(id, "concurrency", "16 jobs × 1 thread, one JVM, one token", Kind.ENGINE,
                    engine(List.of(), "cms", k[1], 1, 16, blobs, out), clean(out),
                    cmsCheck(blobs, out, ".p7s", first, last, ca), blobBytes));
        }
        {
            String id = "conc-1-ec-1t";
            Path out = out(id);
            add(new Method(id, "concurrency", "1 job × 1 thread", Kind.ENGINE,
                    engine(List.of(), "cms", "ecp256", 1, 1, blobs, out), clean(out),
                    cmsCheck(blobs, out, ".p7s", first, last, ca), blobBytes));
        }

        // --- one large artifact with -Xmx128m
        if (!c("large", "").isEmpty()) {
            Path large = Path.of(c("large"));
            Path largeRef = Path.of(c("large.ref"));
            List<String> small = List.of("-Xmx128m");
            Path out = out("large-cms-rsa");
            add(new Method("large-cms-rsa", "large", "CMS, " + c("large.desc") + ", -Xmx128m", Kind.ENGINE,
                    engine(small, "cms", "rsa3072", nproc, 1, large.getParent(), out), clean(out),
                    cmsCheck(large.getParent(), out, ".p7s", large.toString(), large.toString(), ca),
                    Files.size(large)));
            Path refOut = out("large-cms-ref");
            add(new Method("large-cms-ref", "large", "CMS, one 1 MiB file, -Xmx128m (memory reference)",
                    Kind.ENGINE, engine(small, "cms", "rsa3072", nproc, 1, largeRef.getParent(), refOut),
                    clean(refOut), null, Files.size(largeRef)));
            add(new Method("large-dgst", "large", "`openssl dgst -sha256` of the large file (one read)", Kind.TOOL,
                    bash("openssl dgst -sha256 " + q(large.toString()) + " > /dev/null"), () -> { }, null,
                    Files.size(large)));
            if (!c("large.pe", "").isEmpty()) {
                Path bigPe = Path.of(c("large.pe"));
                long peSize = Long.parseLong(c("large.pe.size"));
                Path peSeed = Path.of(c("pe.seed"));
                Path peDir = emb("large-pe-rsa");
                add(new Method("large-pe-rsa", "large", "Authenticode, " + c("large.pe.desc") + ", -Xmx128m",
                        Kind.ENGINE, engine(small, "authenticode", "rsa3072", nproc, 1, peDir, null),
                        () -> {
                            clean(peDir).run();
                            makeBigPe(peSeed, peDir.resolve(bigPe.getFileName()), peSize);
                        },
                        embeddedCheck(peVerify, peDir, bigPe.getFileName().toString(),
                                bigPe.getFileName().toString(), "Signature verification: ok"), peSize));
                Path peRefDir = emb("large-pe-ref");
                add(new Method("large-pe-ref", "large", "Authenticode, one 15 KB PE, -Xmx128m (memory reference)",
                        Kind.ENGINE, engine(small, "authenticode", "rsa3072", nproc, 1, peRefDir, null),
                        () -> {
                            clean(peRefDir).run();
                            Files.copy(peSeed, peRefDir.resolve("small.exe"));
                        }, null, Files.size(peSeed)));
                Path seedCopy = work.resolve("large").resolve("dgst-" + bigPe.getFileName());
                add(new Method("large-pe-dgst", "large", "`openssl dgst -sha256` of the large PE (one read)",
                        Kind.TOOL, bash("openssl dgst -sha256 " + q(seedCopy.toString()) + " > /dev/null"),
                        () -> {
                            if (!Files.exists(seedCopy)) {
                                makeBigPe(peSeed, seedCopy, peSize);
                            }
                        }, null, peSize));
            }
        } else {
            notes.add("The large-artifact measurement was skipped: " + c("large.skipped", "no large file") + ".");
        }
        peers = new Peers(this);
        peers.define();
        if (peersOnly) {
            Set<String> needed = peers.neededIds();
            methods.keySet().retainAll(needed);
            samples.keySet().retainAll(needed);
        }
    }

    /**
     * The engine in a warm JVM: after the usual first run, the same JVM signs fresh copies of the inputs
     * {@link #WARM_ROUNDS} more times, as a Jenkins controller signs build after build; the last round is timed.
     */
    private Method warmEmbedded(String id, String format, Path pristine, String verify, String expect, long bytes)
            throws IOException {
        Path dir = emb(id);
        Path warmDir = emb(id + "-rounds");
        List<String> cmd = new ArrayList<>(engine(List.of(), format, "rsa3072", nproc, 1, dir, null));
        cmd.addAll(List.of("--warm-rounds", Integer.toString(WARM_ROUNDS), "--pristine", pristine.toString(),
                "--warm-dir", warmDir.toString()));
        Step copy = copy(pristine, dir);
        Step clean = clean(warmDir);
        return new Method(id, id.startsWith("jar") ? "jar" : "pe", WARM_LABEL + nproc + " threads", Kind.ENGINE, cmd,
                () -> {
                    copy.run();
                    clean.run();
                }, embeddedCheck(verify, warmDir.resolve(Integer.toString(WARM_ROUNDS)), firstFile(pristine),
                        lastFile(pristine), expect), bytes);
    }

    /** The engine's steps for an embedded format, one at a time ({@link EmbeddedParts}), RSA only. */
    private Method parts(String id, String format, Path inputs) {
        Path out = out(id);
        List<String> cmd = new ArrayList<>(javaCmd(List.of()));
        cmd.addAll(List.of("embedded-parts", "--library", c("library"), "--token", c("token"), "--alias", "rsa3072",
                "--chain", c("ca"), "--format", format, "--inputs", inputs.toString(), "--out", out.toString(),
                "--threads", Integer.toString(nproc)));
        return new Method(id, id.startsWith("jar") ? "jar" : "pe", "the engine's steps one at a time", Kind.RAW, cmd,
                clean(out), null, 0);
    }

    void add(Method m) {
        methods.put(m.id, m);
        samples.put(m.id, new ArrayList<>());
    }

    List<String> engine(List<String> jvmOptions, String format, String alias, int threads, int jobs,
            Path inputs, Path out) {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/time");
        cmd.add("-v");
        cmd.addAll(javaCmd(jvmOptions));
        cmd.addAll(List.of("sign", "--library", c("library"), "--token", c("token"), "--alias", alias,
                "--chain", c("ca"), "--format", format, "--threads", Integer.toString(threads),
                "--jobs", Integer.toString(jobs), "--inputs", inputs.toString()));
        if (out != null) {
            cmd.add("--out");
            cmd.add(out.toString());
        }
        return cmd;
    }

    List<String> javaCmd(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, Bench.class.getName()));
        return cmd;
    }

    static List<String> bash(String script) {
        return List.of("bash", "-c", "set -eo pipefail; " + script);
    }

    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    Path out(String id) {
        return work.resolve("out").resolve(id);
    }

    Path emb(String id) {
        return work.resolve("emb").resolve(id);
    }

    String cmsCheck(Path inputs, Path out, String ext, String first, String last, String ca) {
        return "set -e; for f in " + q(first) + " " + q(last) + "; do openssl cms -verify -binary -inform DER -in "
                + q(out.toString()) + "/\"${f##*/}" + ext + "\" -content \"$f\" -CAfile " + q(ca)
                + " -purpose any -out /dev/null; done";
    }

    static String embeddedCheck(String verify, Path dir, String first, String last, String expect) {
        String a = dir.resolve(Path.of(first).getFileName()).toString();
        String b = dir.resolve(Path.of(last).getFileName()).toString();
        return "set -e; for f in " + q(a) + " " + q(b) + "; do " + verify + " \"$f\" > \"$f.verify.txt\" 2>&1 "
                + "|| { cat \"$f.verify.txt\"; exit 1; }; grep -q " + q(expect)
                + " \"$f.verify.txt\" || { cat \"$f.verify.txt\"; exit 1; }; rm -f \"$f.verify.txt\"; done";
    }

    static Step clean(Path dir) {
        return () -> {
            deleteTree(dir);
            Files.createDirectories(dir);
        };
    }

    static Step copy(Path from, Path to) {
        return () -> {
            deleteTree(to);
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        };
    }

    /** Runs {@code command} to its end, output discarded, before a measurement (a warm-up); fails if it fails. */
    static void runUntimed(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int exitCode = p.waitFor();
        if (exitCode != 0) {
            throw new IllegalStateException("the warm-up " + String.join(" ", command) + " exited with " + exitCode);
        }
    }

    /** A real PE (the benchmark's tiny program) followed by overlay bytes up to {@code size}, sparse. */
    private static void makeBigPe(Path seed, Path target, long size) throws IOException {
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        Files.copy(seed, target);
        try (var ch = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0}), size - 1);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    static long dirBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static String firstFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().findFirst().orElseThrow().toString();
        }
    }

    static String lastFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().reduce((a, b) -> b).orElseThrow().toString();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Running

    private void runAll() throws Exception {
        started = ZonedDateTime.now();
        loadAtStart = loadavg();
        List<String> sections = methods.values().stream().map(m -> m.section).distinct().collect(Collectors.toList());
        for (int rep = 0; rep < reps; rep++) {
            loadPerRep.add(loadavg());
            log("repetition " + (rep + 1) + " of " + reps + " (load average " + loadPerRep.get(rep) + ")");
            for (String section : sections) {
                List<Method> list = methods.values().stream().filter(m -> m.section.equals(section))
                        .collect(Collectors.toList());
                int shift = rep % list.size();
                List<Method> order = new ArrayList<>(list.subList(shift, list.size()));
                order.addAll(list.subList(0, shift));
                for (Method m : order) {
                    Sample s = measure(m, rep);
                    samples.get(m.id).add(s);
                    log(String.format(Locale.ROOT, "  %-22s %8.2f s%s%s", m.id, s.wallS,
                            s.result.containsKey("runMs") ? String.format(Locale.ROOT, "  (in-JVM %.2f s)",
                                    Double.parseDouble(s.result.get("runMs")) / 1000) : "",
                            s.error != null ? "  ERROR " + s.error : ""));
                    if (rep == 0 && m.check != null && s.error == null) {
                        checks.put(m.id, check(m));
                        if (!checks.get(m.id).equals("ok")) {
                            log("  CHECK FAILED for " + m.id + ": " + checks.get(m.id));
                        }
                    }
                }
            }
        }
        loadAtEnd = loadavg();
        ended = ZonedDateTime.now();
    }

    private Sample measure(Method m, int rep) throws Exception {
        Sample s = new Sample();
        try {
            m.prepare.run();
        } catch (Exception e) {
            s.error = "preparing failed: " + e;
            return s;
        }
        Path out = logs.resolve(m.id + "-" + (rep + 1) + ".out");
        Path err = logs.resolve(m.id + "-" + (rep + 1) + ".err");
        ProcessBuilder pb = new ProcessBuilder(m.command).redirectOutput(out.toFile()).redirectError(err.toFile());
        long a = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.MINUTES);
        long wall = System.nanoTime() - a;
        if (!done) {
            p.destroyForcibly();
            s.error = "timed out after 60 minutes";
            return s;
        }
        s.wallS = wall / 1e9;
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    s.result.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (t.startsWith("Maximum resident set size (kbytes):")) {
                s.rssKb = Long.parseLong(t.substring(t.indexOf(':') + 1).trim());
            }
        }
        if (p.exitValue() != 0) {
            s.error = "exit " + p.exitValue() + ": " + tail(out, 3) + " " + tail(err, 3);
        } else if (m.kind != Kind.TOOL && s.result.isEmpty()) {
            s.error = "no RESULT line";
        }
        return s;
    }

    private String check(Method m) throws Exception {
        Path log = logs.resolve(m.id + "-check.txt");
        Process p = new ProcessBuilder("bash", "-c", m.check).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return "check timed out";
        }
        return p.exitValue() == 0 ? "ok" : "FAILED (exit " + p.exitValue() + "): " + tail(log, 4);
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size())).trim();
    }

    private static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void log(String s) {
        System.out.println(s);
        System.out.flush();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Figures

    private boolean has(String id) {
        return methods.containsKey(id) && samples.get(id).stream().anyMatch(s -> s.error == null);
    }

    boolean failed(String id) {
        return methods.containsKey(id) && (samples.get(id).stream().anyMatch(s -> s.error != null)
                || (checks.containsKey(id) && !checks.get(id).equals("ok")));
    }

    /** Empty, or " (**2 of 3 repetitions failed; the check failed**)" for the report. */
    String failureNote(String id) {
        List<String> problems = new ArrayList<>();
        long bad = samples.get(id).stream().filter(x -> x.error != null).count();
        if (bad > 0) {
            problems.add(bad + " of " + samples.get(id).size() + " repetitions failed, see the sanity checks");
        }
        if (checks.containsKey(id) && !checks.get(id).equals("ok")) {
            problems.add("its output did not pass the check");
        }
        return problems.isEmpty() ? "" : " (**" + String.join("; ", problems) + "**)";
    }

    Stats stats(String id, Function<Sample, Double> f) {
        List<Double> v = new ArrayList<>();
        if (methods.containsKey(id)) {
            for (Sample s : samples.get(id)) {
                if (s.error == null) {
                    Double x = f.apply(s);
                    if (x != null) {
                        v.add(x);
                    }
                }
            }
        }
        return new Stats(v);
    }

    Stats wall(String id) {
        return stats(id, s -> s.wallS);
    }

    Stats run(String id) {
        return stats(id, s -> s.num("runMs") == null ? null : s.num("runMs") / 1000);
    }

    /** The last batch of a warm JVM ({@code --warm-rounds}), in seconds. */
    private Stats warm(String id) {
        return stats(id, s -> s.num("warmRunMs") == null ? null : s.num("warmRunMs") / 1000);
    }

    private Stats setup(String id) {
        return stats(id, s -> s.num("setupMs") == null ? null : s.num("setupMs") / 1000);
    }

    private Stats rss(String id) {
        return stats(id, s -> s.rssKb == null ? null : s.rssKb / 1024.0);
    }

    private Stats raw(String id, String key) {
        return stats(id, s -> s.num(key) == null ? null : s.num(key) / 1000);
    }

    /** The floor of one repetition: sha256sum's wall time plus the raw signatures, paired by repetition. */
    private Stats floor(String hashId, String rawId) {
        List<Double> v = new ArrayList<>();
        List<Sample> h = samples.getOrDefault(hashId, List.of());
        List<Sample> r = samples.getOrDefault(rawId, List.of());
        for (int i = 0; i < Math.min(h.size(), r.size()); i++) {
            if (h.get(i).error == null && r.get(i).error == null && r.get(i).num("oneThreadMs") != null) {
                v.add(h.get(i).wallS + r.get(i).num("oneThreadMs") / 1000);
            }
        }
        return new Stats(v);
    }

    static String f2(double x) {
        return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%.2f", x);
    }

    static String f1(double x) {
        return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%.1f", x);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The report

    private static final String NOTES_BEGIN = "<!-- notes:begin (kept when bench/run rewrites this file) -->";
    private static final String NOTES_END = "<!-- notes:end -->";

    private void report(Path output) throws IOException {
        String kept = null;
        if (Files.exists(output)) {
            String old = Files.readString(output);
            int a = old.indexOf(NOTES_BEGIN);
            int b = old.indexOf(NOTES_END);
            if (a >= 0 && b > a) {
                kept = old.substring(a, b + NOTES_END.length());
            }
        }
        int blobs = count(Path.of(c("blobs")));
        int jars = count(Path.of(c("jars")));
        int pes = count(Path.of(c("pe")));
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `bench/run")
                .append(quick ? " --quick" : "").append(reps != 3 ? " --reps " + reps : "")
                .append("` on ").append(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append("; the run took ").append(java.time.Duration.between(started, ended).toMinutes())
                .append(" min. ");
        if (quick) {
            md.append("**This is a `--quick` run with tiny sizes, for development only: its figures say nothing "
                    + "about the targets.** ");
        }
        md.append("Every figure is the median of ").append(reps).append(" repetition").append(reps == 1 ? "" : "s")
                .append(", with min–max in brackets; all methods ran side by side in one run, repetitions outermost "
                        + "and the order of the methods within each section rotated by one each repetition. "
                        + "Times are in seconds unless marked.\n\n");
        md.append("How to run it: `bench/run` (full, about 15 min on 2 quiet cores), `bench/run --reps 5`, "
                + "`bench/run --quick` (tiny sizes, writes `bench/work/benchmarks-quick.md`). See the header of "
                + "`bench/run`.\n\n");

        machine(md);
        targets(md, blobs, jars, pes);
        md.append(PeerTable.BEGIN).append('\n');
        new PeerTable(this, peers).write(md);
        md.append(PeerTable.END).append("\n\n");
        cmsTable(md, blobs);
        componentsTable(md, blobs);
        pgpTable(md, blobs);
        simpleTable(md, "JAR: " + jars + " small JARs (" + kb(Path.of(c("jars")), jars) + " KB each), signed in place",
                List.of("jar-engine-rsa", "jar-engine-rsa-warm", "jar-engine-ec", "jar-jarsigner-rsa"),
                "jar-jarsigner-rsa", jars);
        partsTable(md, "jar-parts-rsa", "jar-engine-rsa", "JarSigner", jars);
        simpleTable(md, "Authenticode: " + pes + " PE files (" + kb(Path.of(c("pe")), pes)
                + " KB each, one mingw-w64 program copied), signed in place",
                List.of("pe-engine-rsa", "pe-engine-rsa-warm", "pe-engine-ec", "pe-osslsigncode-rsa"),
                "pe-osslsigncode-rsa", pes);
        partsTable(md, "pe-parts-rsa", "pe-engine-rsa", "jsign", pes);
        concurrencyTable(md, blobs);
        largeTable(md);
        checksSection(md);
        method(md);
        rawSection(md);
        if (kept != null) {
            md.append(kept).append('\n');
        } else {
            md.append(NOTES_BEGIN).append("\n").append(NOTES_END).append("\n");
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, md.toString());
        log("wrote " + output);
    }

    /**
     * The peers section alone, with its own machine table and checks, put in place of the one {@code output} holds
     * (between {@link PeerTable#BEGIN} and {@link PeerTable#END}); the rest of the file is kept.
     */
    private void peersReport(Path output) throws IOException {
        StringBuilder md = new StringBuilder();
        new PeerTable(this, peers).write(md);
        md.append("Written by `bench/run --peers").append(quick ? " --quick" : "")
                .append(reps != 3 ? " --reps " + reps : "").append("` on ")
                .append(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append("; the run took ")
                .append(java.time.Duration.between(started, ended).toMinutes()).append(" min. ");
        if (quick) {
            md.append("**A `--quick` run with tiny sizes, for development only: its figures say nothing about the "
                    + "targets.** ");
        }
        md.append("Median of ").append(reps).append(" repetition").append(reps == 1 ? "" : "s")
                .append(" (min–max in brackets where there are several), methods rotated within each section every "
                        + "repetition.\n\n");
        // one heading level down: these are parts of the peers section
        md.append("#");
        machine(md);
        md.append("#");
        checksSection(md);
        md.append("#");
        rawSection(md);
        PeerTable.splice(output, md.toString());
        log("wrote the peers section of " + output);
    }

    private void machine(StringBuilder md) throws IOException {
        md.append("## Machine\n\n| | |\n|---|---|\n");
        Path machine = Path.of(c("machine"));
        for (String line : Files.readAllLines(machine)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                md.append("| ").append(line, 0, colon).append(" | ").append(line.substring(colon + 1).trim())
                        .append(" |\n");
            }
        }
        md.append("| load average (1/5/15 min) when the measurements started | ").append(loadAtStart).append(" |\n");
        md.append("| load average at each repetition's start | ").append(String.join("; ", loadPerRep)).append(" |\n");
        md.append("| load average at the end | ").append(loadAtEnd).append(" |\n\n");
        md.append("The benchmark's own processes keep up to ").append(nproc).append(" CPUs busy, so load averages up "
                + "to about ").append(nproc).append(" are its own; higher ones mean other work ran at the same time and "
                + "the figures are noisier (the min–max ranges show how much).\n\n");
    }

    private void targets(StringBuilder md, int blobs, int jars, int pes) {
        md.append("## Targets\n\n");
        md.append("Ratios are between medians; in brackets, the same ratio between the fastest repetition of each "
                + "side (the least disturbed by other load). Three views of the engine: \"whole process\" is a fresh "
                + "JVM from start to exit (JVM start, class loading, provider set-up and login included), as `hsmsign` "
                + "run once per batch; \"in-JVM\" is the same fresh JVM's signing time after set-up (each job's key "
                + "open, signing, close), so still with class loading and JIT warm-up; \"warm JVM\" is a JVM that has "
                + "signed the same kind of batch four times before, as the Jenkins controller (where the plugin signs) "
                + "is once it has signed for a while. A target counts as met when the medians meet it.\n\n");
        md.append("| target | measured | met? |\n|---|---|---|\n");
        String cmsName = "detached CMS, " + blobs + " × 1 MiB, RSA-3072";
        speedTarget(md, cmsName + ": ≥ 5× faster than per-file `openssl cms`", "cms-openssl-rsa", "cms-engine-rsa", 5);
        double floor = floor("floor-sha256sum", "floor-raw-rsa").median();
        double floorMin = floor("floor-sha256sum", "floor-raw-rsa").min();
        double engineWall = wall("cms-engine-rsa").median();
        double engineRun = run("cms-engine-rsa").median();
        double engineWarm = warm("cms-engine-rsa-warm").median();
        md.append("| ").append(cmsName).append(": within 1.3× of the floor (sha256sum + ").append(blobs)
                .append(" raw token signatures) | engine/floor = ").append(f2(engineWall / floor))
                .append(fastest(wall("cms-engine-rsa").min() / floorMin)).append(" whole process, ")
                .append(f2(engineRun / floor)).append(fastest(run("cms-engine-rsa").min() / floorMin))
                .append(" in-JVM, ").append(f2(engineWarm / floor))
                .append(fastest(warm("cms-engine-rsa-warm").min() / floorMin)).append(" warm JVM (floor ")
                .append(f2(floor)).append(" s) | ")
                .append(metText(engineWall / floor <= 1.3, engineRun / floor <= 1.3, engineWarm / floor <= 1.3,
                        failed("cms-engine-rsa") || failed("cms-engine-rsa-warm") || failed("floor-raw-rsa")))
                .append(" |\n");
        speedTarget(md, "JAR, " + jars + " small JARs, RSA-3072: ≥ 15× faster than per-file `jarsigner`",
                "jar-jarsigner-rsa", "jar-engine-rsa", 15);
        speedTarget(md, "PE, " + pes + " files, RSA-3072: ≥ 2× faster than per-file `osslsigncode`",
                "pe-osslsigncode-rsa", "pe-engine-rsa", 2);
        if (methods.containsKey("large-cms-rsa")) {
            double big = rss("large-cms-rsa").max();
            double ref = rss("large-cms-ref").max();
            boolean ok = has("large-cms-rsa") && !failed("large-cms-rsa") && big - ref <= 32;
            md.append("| constant memory for one ").append(c("large.desc")).append(" (CMS, `-Xmx128m`) | ")
                    .append(has("large-cms-rsa") ? "succeeded; " : "**did not succeed**; ")
                    .append("peak RSS ").append(f1(big)).append(" MiB vs ").append(f1(ref))
                    .append(" MiB for a 1 MiB file (largest of the repetitions; met if within 32 MiB) | ")
                    .append(ok ? "**met**" : "**not met**").append(" |\n");
            if (methods.containsKey("large-pe-rsa")) {
                double pbig = rss("large-pe-rsa").max();
                double pref = rss("large-pe-ref").max();
                boolean pok = has("large-pe-rsa") && !failed("large-pe-rsa") && pbig - pref <= 32;
                md.append("| (extra) constant memory for Authenticode, ").append(c("large.pe.desc"))
                        .append(", `-Xmx128m` | ").append(has("large-pe-rsa") ? "succeeded; " : "**did not succeed**; ")
                        .append("peak RSS ").append(f1(pbig)).append(" MiB vs ").append(f1(pref))
                        .append(" MiB for a 15 KB PE | ").append(pok ? "**met**" : "**not met**").append(" |\n");
            }
        } else {
            md.append("| constant memory for one 4 GiB artifact | skipped: ").append(c("large.skipped", "?"))
                    .append(" | not measured |\n");
        }
        md.append('\n');
    }

    /** One "≥ N× faster than the per-file tool" row: fresh process, fresh JVM after set-up, warm JVM. */
    private void speedTarget(StringBuilder md, String name, String tool, String engine, double factor) {
        String warmId = engine + "-warm";
        double baseline = wall(tool).median();
        double whole = baseline / wall(engine).median();
        double inJvm = baseline / run(engine).median();
        double warmJvm = baseline / warm(warmId).median();
        md.append("| ").append(name).append(" | whole process ").append(f1(whole)).append("×")
                .append(fastest(wall(tool).min() / wall(engine).min())).append("; in-JVM ").append(f1(inJvm))
                .append("×").append(fastest(wall(tool).min() / run(engine).min())).append("; warm JVM ")
                .append(f1(warmJvm)).append("×").append(fastest(wall(tool).min() / warm(warmId).min())).append(" | ")
                .append(metText(whole >= factor, inJvm >= factor, warmJvm >= factor,
                        failed(engine) || failed(warmId) || failed(tool)))
                .append(" |\n");
    }

    private String fastest(double ratio) {
        return reps > 1 ? " (fastest: " + f2(ratio) + ")" : "";
    }

    private static String metText(boolean whole, boolean inJvm, boolean warm, boolean anyFailure) {
        if (anyFailure) {
            return "**not met** (a run or its check failed)";
        }
        if (whole) {
            return "**met**";
        }
        if (inJvm) {
            return warm ? "**met in-JVM and in a warm JVM**, not for the whole process"
                    : "**met in-JVM only**, not for the whole process";
        }
        if (warm) {
            return "**met in a warm JVM** (a Jenkins controller), not in a fresh process";
        }
        return "**not met**";
    }

    private void engineHeader(StringBuilder md) {
        md.append("| method | key | wall, whole process | in-JVM signing | ms per file (wall) | set-up in JVM "
                + "| peak RSS MiB | bytes read ÷ input bytes (≥ 256 MiB of input only) | wall ÷ engine RSA |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
    }

    private void row(StringBuilder md, String id, String key, int files, double reference) {
        Method m = methods.get(id);
        if (m == null) {
            return;
        }
        if (!has(id)) {
            md.append("| ").append(m.label).append(" | ").append(key).append(" | failed: ")
                    .append(samples.get(id).isEmpty() ? "not run" : samples.get(id).get(0).error)
                    .append(" | | | | | | |\n");
            return;
        }
        Stats w = wall(id);
        md.append("| ").append(m.label).append(failureNote(id))
                .append(" | ").append(key).append(" | ").append(w.format("%.2f"))
                .append(" | ").append(m.kind == Kind.ENGINE ? (id.endsWith("-warm") ? warm(id) : run(id))
                        .format("%.2f") : "—")
                .append(" | ").append(files > 0 ? f1(w.median() * 1000 / files) : "—")
                .append(" | ").append(m.kind == Kind.ENGINE ? setup(id).format("%.2f") : "—")
                .append(" | ").append(m.kind == Kind.ENGINE ? rss(id).format("%.0f") : "—")
                .append(" | ").append(m.kind == Kind.ENGINE && m.inputBytes >= 256L * 1024 * 1024
                        ? stats(id, s -> s.num("rchar") == null ? null : s.num("rchar") / m.inputBytes).format("%.2f")
                        : "—")
                .append(" | ").append(Double.isNaN(reference) ? "—" : f2(w.median() / reference)).append(" |\n");
    }

    private String keyOf(String id) {
        if (id.contains("-rsa")) {
            return id.contains("engine") || id.startsWith("conc") || id.startsWith("large") ? "RSA-3072 token"
                    : id.startsWith("gpg") ? "RSA-3072 software (gpg)" : "RSA-3072 software";
        }
        if (id.contains("-ec")) {
            return id.contains("engine") || id.startsWith("conc") ? "EC P-256 token" : "EC P-256 software";
        }
        return "";
    }

    private void cmsTable(StringBuilder md, int blobs) {
        md.append("## Detached CMS: ").append(blobs).append(" files of 1 MiB of random bytes\n\n");
        engineHeader(md);
        double ref = wall("cms-engine-rsa").median();
        for (String id : List.of("cms-engine-rsa", "cms-engine-rsa-warm", "cms-engine-rsa-1t", "cms-engine-ec",
                "cms-engine-ec-warm", "cms-openssl-rsa",
                "cms-openssl-rsa-p" + nproc, "cms-openssl-ec", "gpg-rsa", "floor-sha256sum", "floor-openssl-dgst")) {
            row(md, id, keyOf(id), blobs, ref);
        }
        md.append('\n');
        md.append("**The floor** (same run): `sha256sum` over the same bytes plus ").append(blobs)
                .append(" raw signatures on the token, one after another, through SunPKCS11 with no engine code.\n\n");
        md.append("| | RSA-3072 | EC P-256 |\n|---|---|---|\n");
        md.append("| `sha256sum`, one process, wall | ").append(wall("floor-sha256sum").format("%.2f")).append(" | ")
                .append(wall("floor-sha256sum").format("%.2f")).append(" |\n");
        md.append("| ").append(blobs).append(" raw signatures, 1 thread, in-JVM | ")
                .append(raw("floor-raw-rsa", "oneThreadMs").format("%.2f")).append(" | ")
                .append(raw("floor-raw-ec", "oneThreadMs").format("%.2f")).append(" |\n");
        md.append("| **floor** = sha256sum + raw signatures | **")
                .append(floor("floor-sha256sum", "floor-raw-rsa").format("%.2f")).append("** | **")
                .append(floor("floor-sha256sum", "floor-raw-ec").format("%.2f")).append("** |\n");
        md.append("| engine, whole process ÷ floor | ")
                .append(f2(wall("cms-engine-rsa").median() / floor("floor-sha256sum", "floor-raw-rsa").median()))
                .append(" | ")
                .append(f2(wall("cms-engine-ec").median() / floor("floor-sha256sum", "floor-raw-ec").median()))
                .append(" |\n");
        md.append("| engine, in-JVM ÷ floor | ")
                .append(f2(run("cms-engine-rsa").median() / floor("floor-sha256sum", "floor-raw-rsa").median()))
                .append(" | ")
                .append(f2(run("cms-engine-ec").median() / floor("floor-sha256sum", "floor-raw-ec").median()))
                .append(" |\n");
        md.append("| (for comparison) stricter floor with `openssl dgst -sha256` instead of `sha256sum` | ")
                .append(floor("floor-openssl-dgst", "floor-raw-rsa").format("%.2f")).append(" | ")
                .append(floor("floor-openssl-dgst", "floor-raw-ec").format("%.2f")).append(" |\n");
        md.append("| (for comparison) the same raw signatures on 2 threads | ")
                .append(raw("floor-raw-rsa", "twoThreadsMs").format("%.2f")).append(" | ")
                .append(raw("floor-raw-ec", "twoThreadsMs").format("%.2f")).append(" |\n");
        md.append("| (for comparison) the same count through the engine's `SigningKey.signDigest`, 1 thread "
                + "(adds the operation cap and a check of each signature) | ")
                .append(raw("floor-raw-rsa", "engineSignDigestMs").format("%.2f")).append(" | ")
                .append(raw("floor-raw-ec", "engineSignDigestMs").format("%.2f")).append(" |\n\n");
    }

    private void componentsTable(StringBuilder md, int blobs) {
        if (!methods.containsKey("components-rsa")) {
            return;
        }
        md.append("### Where the engine's CMS time goes\n\n");
        md.append("`Bench components`: each step of a detached CMS signature timed on its own over the same ")
                .append(blobs).append(" files, one thread, after a warm-up, in milliseconds per file. The rows marked "
                        + "\"alone\" are parts of the row above them.\n\n");
        md.append("| step | RSA-3072 token | EC P-256 token |\n|---|---|---|\n");
        String[][] rows = {
            {"read the file and SHA-256 it (`ContentHashes.of`)", "hashMs"},
            {"token signature with the engine's check of it (`SigningKey.signDigest`)", "signDigestMs"},
            {"raw token signature alone (SunPKCS11, no engine code; from the floor)", "raw"},
            {"the check alone, as the engine does it (Bouncy Castle, certificate key converted on every call)",
                "verifyBcMs"},
            {"the check alone, Bouncy Castle with the converted key kept across calls", "verifyBcCachedKeyMs"},
            {"the check alone, JDK provider", "verifyJdkMs"},
            {"whole CMS signature from the digest (`CmsFormat.sign`, includes `signDigest`)", "cmsSignMs"},
            {"write the `.p7s` plainly (`Files.write`)", "writePlainMs"},
            {"write the `.p7s` the engine's way (`AtomicFiles.write`: temporary file, fsync, atomic move)",
                "writeAtomicFsyncMs"},
        };
        for (String[] r : rows) {
            md.append("| ").append(r[0]).append(" | ").append(perFile("rsa", r[1], blobs)).append(" | ")
                    .append(perFile("ec", r[1], blobs)).append(" |\n");
        }
        md.append("| sum: hash + CMS + atomic write | ").append(sumPerFile("rsa", blobs)).append(" | ")
                .append(sumPerFile("ec", blobs)).append(" |\n");
        md.append("| measured: engine, 1 thread, in-JVM ÷ files (whole `signAll`, fresh JVM, main measurement) | ")
                .append(f2(run("cms-engine-rsa-1t").median() * 1000 / blobs)).append(" | — |\n");
        String[][] more = {
            {"the engine's `signAll`, 1 thread, in this warm JVM", "signAll1Ms"},
            {"the engine's `signAll`, " + nproc + " threads, in this warm JVM (wall ÷ files)", "signAllThreadsMs"},
            {"**prototype**: the same work on " + nproc + " threads with the `.p7s` moved into place without fsync "
                + "(wall ÷ files)", "proposedThreadsMs"},
        };
        for (String[] r : more) {
            md.append("| ").append(r[0]).append(" | ").append(perFile("rsa", r[1], blobs)).append(" | ")
                    .append(perFile("ec", r[1], blobs)).append(" |\n");
        }
        md.append('\n');
    }

    private String perFile(String key, String field, int files) {
        if (field.equals("raw")) {
            return raw("floor-raw-" + key, "oneThreadMs").empty() ? "—"
                    : f2(raw("floor-raw-" + key, "oneThreadMs").median() * 1000 / files);
        }
        Stats st = stats("components-" + key, x -> x.num(field));
        return st.empty() ? "—" : formatPerFile(st, files);
    }

    private static String formatPerFile(Stats st, int files) {
        if (st.count() == 1) {
            return f2(st.median() / files);
        }
        return f2(st.median() / files) + " (" + f2(st.min() / files) + "–" + f2(st.max() / files) + ")";
    }

    private String sumPerFile(String key, int files) {
        Stats st = stats("components-" + key, x -> x.num("hashMs") == null ? null
                : x.num("hashMs") + x.num("cmsSignMs") + x.num("writeAtomicFsyncMs"));
        return st.empty() ? "—" : formatPerFile(st, files);
    }

    private void partsTable(StringBuilder md, String id, String engineId, String library, int files) {
        if (!methods.containsKey(id)) {
            return;
        }
        md.append("### Where the engine's time goes (RSA-3072 token)\n\n");
        md.append("`Bench embedded-parts`: each step `ArtifactSigner` takes for an embedded signature, timed on its own "
                + "over the same files, one thread, after a warm-up, in milliseconds per file. ").append(library)
                .append(" signs with the engine's token key, so the token's signature and the engine's check of it "
                        + "are inside the library row.\n\n");
        md.append("| step | ms per file |\n|---|---|\n");
        String[][] rows = {
            {"SHA-256 of the artifact (`ContentHashes.sha256Hex`; the engine does it before and after)", "hashMs"},
            {"copy the artifact beside itself (for Authenticode; JAR writes a new file instead)", "copyMs"},
            {library + " signs the copy with the engine's key", "libSignMs"},
            {"verify the signed copy as `ArtifactSigner.checkSignedCopy` does (trust anchors: the chain's root, "
                + "PKIX path building)", "verifyAsEngineMs"},
            {"verify the signed copy for integrity only (`VerificationOptions.inspection()`, no PKIX)",
                "verifyIntegrityOnlyMs"},
            {"fsync and atomic move (`AtomicFiles.replace`)", "fsyncReplaceMs"},
            {"**the engine's whole `ArtifactSigner.sign`**, one artifact after another", "engineSignMs"},
        };
        for (String[] r : rows) {
            Stats st = stats(id, x -> x.num(r[1]));
            md.append("| ").append(r[0]).append(" | ").append(st.empty() ? "—" : formatPerFile(st, files))
                    .append(" |\n");
        }
        Stats lean = stats(id, x -> x.num("libOnlyThreadsMs"));
        md.append("| ").append(library).append(" alone on ").append(nproc)
                .append(" threads (no hashes, no verification, no fsync), wall ÷ files | ")
                .append(lean.empty() ? "—" : formatPerFile(lean, files)).append(" |\n");
        md.append("| the engine's `signAll` on ").append(nproc).append(" threads (main measurement, fresh JVM), in-JVM "
                + "÷ files | ").append(f2(run(engineId).median() * 1000 / files)).append(" |\n");
        String[][] more = {
            {"the engine's `signAll` on " + nproc + " threads in this warm JVM, wall ÷ files", "engineSignAllThreadsMs"},
            {"**prototype** of the proposed path on " + nproc + " threads: SHA-256 while copying, " + library
                + ", integrity-only verification, SHA-256 after, atomic move without fsync; wall ÷ files",
                "proposedThreadsMs"},
        };
        for (String[] r : more) {
            Stats st = stats(id, x -> x.num(r[1]));
            md.append("| ").append(r[0]).append(" | ").append(st.empty() ? "—" : formatPerFile(st, files))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void pgpTable(StringBuilder md, int blobs) {
        md.append("## OpenPGP detached: the same ").append(blobs).append(" files\n\n");
        engineHeader(md);
        double ref = wall("pgp-engine-rsa").median();
        for (String id : List.of("pgp-engine-rsa", "pgp-engine-ec", "gpg-rsa")) {
            row(md, id, keyOf(id), blobs, ref);
        }
        md.append("\nThe `gpg` row is the same measurement as in the CMS table (one per repetition). gpg writes "
                + "binary `.sig`, the engine armored `.asc`.\n\n");
    }

    private void simpleTable(StringBuilder md, String title, List<String> ids, String baseline, int files) {
        md.append("## ").append(title).append("\n\n");
        engineHeader(md);
        double ref = wall(ids.get(0)).median();
        for (String id : ids) {
            row(md, id, keyOf(id), files, ref);
        }
        md.append('\n');
    }

    private void concurrencyTable(StringBuilder md, int blobs) {
        md.append("## 16 concurrent signing jobs sharing one token (detached CMS, the same ").append(blobs)
                .append(" files)\n\n");
        md.append("Each job is a thread that opens the key itself (`Pkcs11KeySource.open`), signs its share of the "
                + "files with `ArtifactSigner.signAll(share, threads)` and closes the key, as concurrent Jenkins builds "
                + "on one controller would; all share the JVM's one SunPKCS11 provider, login and operation cap (default "
                + "4).\n\n");
        md.append("| jobs × threads | key | wall, whole process | in-JVM | files/s (in-JVM) | files/s vs 1 job × 1 "
                + "thread | key opens in the run: slowest, ms (sum) | peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n");
        String[][] rows = {
            {"cms-engine-rsa-1t", "1 × 1", "RSA-3072 token", "cms-engine-rsa-1t"},
            {"cms-engine-rsa", "1 × " + nproc, "RSA-3072 token", "cms-engine-rsa-1t"},
            {"conc-16-rsa", "16 × 1", "RSA-3072 token", "cms-engine-rsa-1t"},
            {"conc-1-ec-1t", "1 × 1", "EC P-256 token", "conc-1-ec-1t"},
            {"cms-engine-ec", "1 × " + nproc, "EC P-256 token", "conc-1-ec-1t"},
            {"conc-16-ec", "16 × 1", "EC P-256 token", "conc-1-ec-1t"},
        };
        for (String[] r : rows) {
            if (!methods.containsKey(r[0])) {
                continue;
            }
            double tput = blobs / run(r[0]).median();
            double base = blobs / run(r[3]).median();
            md.append("| ").append(r[1]).append(failed(r[0]) ? " (**failed**)" : "").append(" | ").append(r[2])
                    .append(" | ").append(wall(r[0]).format("%.2f")).append(" | ").append(run(r[0]).format("%.2f"))
                    .append(" | ").append(f1(tput)).append(" | ").append(f2(tput / base)).append(" | ")
                    .append(f1(stats(r[0], x -> x.num("openMaxMs")).median())).append(" (")
                    .append(f1(stats(r[0], x -> x.num("openSumMs")).median())).append(") | ")
                    .append(rss(r[0]).format("%.0f")).append(" |\n");
        }
        md.append('\n');
    }

    private void largeTable(StringBuilder md) {
        md.append("## One large artifact, engine JVM started with `-Xmx128m`\n\n");
        if (!methods.containsKey("large-cms-rsa")) {
            md.append("Skipped: ").append(c("large.skipped", "?")).append(".\n\n");
            return;
        }
        md.append("| method | wall | in-JVM | MB/s (in-JVM) | peak RSS MiB (max of reps) | bytes read ÷ artifact "
                + "bytes |\n|---|---|---|---|---|---|\n");
        for (String id : List.of("large-cms-rsa", "large-cms-ref", "large-dgst", "large-pe-rsa", "large-pe-ref",
                "large-pe-dgst")) {
            Method m = methods.get(id);
            if (m == null) {
                continue;
            }
            boolean engine = m.kind == Kind.ENGINE;
            Stats time = engine ? run(id) : wall(id);
            md.append("| ").append(m.label).append(failureNote(id))
                    .append(" | ").append(wall(id).format("%.2f")).append(" | ")
                    .append(engine ? run(id).format("%.2f") : "—").append(" | ")
                    .append(m.inputBytes >= 32L * 1024 * 1024 ? f1(m.inputBytes / 1e6 / time.median()) : "—")
                    .append(" | ").append(engine ? f1(rss(id).max()) : "—").append(" | ")
                    .append(engine && m.inputBytes >= 32L * 1024 * 1024 ? stats(id, s -> s.num("rchar") == null ? null
                            : s.num("rchar") / m.inputBytes).format("%.2f") : "—")
                    .append(" |\n");
        }
        md.append("\nThe large file is ").append(c("large.desc")).append(c("large.sparse", "false").equals("true")
                ? " (sparse: it reads as zeros without using disk; SHA-256 costs the same on any bytes)" : "")
                .append(". A 4 GiB PE is not realistic (PE offsets are 32-bit and Windows does not load images that "
                        + "large), so Authenticode is measured on ").append(c("large.pe.desc", "—"))
                .append(", which Authenticode hashes like any other part of the file. \"Bytes read\" is the "
                        + "process's `rchar` from `/proc/self/io` (all bytes the JVM read, class files included), "
                        + "divided by the artifact's size: 1.0 means the artifact was read once.\n\n");
    }

    private void checksSection(StringBuilder md) {
        md.append("## Sanity checks (untimed, after the first repetition, with independent tools)\n\n");
        md.append("First and last output of each method: `openssl cms -verify -purpose any -CAfile ca.pem` for CMS, "
                + "`gpg --verify` for OpenPGP (the engine's key exported with `PgpKeys.exportArmored` and imported), "
                + "`jarsigner -verify -strict` against a truststore with the test CA for JARs, `osslsigncode verify "
                + "-CAfile ca.pem` for PE. Every engine run must also report every artifact SIGNED.\n\n");
        md.append("| method | check |\n|---|---|\n");
        for (Map.Entry<String, String> e : checks.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().replace("|", "\\|")).append(" |\n");
        }
        for (Method m : methods.values()) {
            for (Sample s : samples.get(m.id)) {
                if (s.error != null) {
                    md.append("| ").append(m.id).append(" | run failed: ").append(s.error.replace("|", "\\|"))
                            .append(" |\n");
                    break;
                }
            }
        }
        md.append('\n');
    }

    private void method(StringBuilder md) {
        md.append("## How it was measured\n\n");
        md.append("- One SoftHSM2 token made for the run (`softhsm2-util`, private `SOFTHSM2_CONF`), RSA-3072 and EC "
                + "P-256 keys generated on it with `pkcs11-tool`, certificates (codeSigning) from a throwaway "
                + "OpenSSL CA stored on the token under the same CKA_ID. The engine opens it with "
                + "`Pkcs11KeySource.library(..).tokenLabel(..).keyAlias(..).certificateChain([CA])`, default "
                + "operation cap (4), default options (SHA-256, no timestamp).\n");
        md.append("- The per-file tools use software keys of the same size (a HSM key cannot be exported): one "
                + "RSA-3072 key made with `keytool` in a PKCS12 keystore, certified by the same CA, used by "
                + "`jarsigner`, `osslsigncode -pkcs12` and (extracted to PEM) `openssl cms`; an EC P-256 PEM key "
                + "for `openssl cms` EC; a throwaway RSA-3072 gpg key (no passphrase, `--batch --pinentry-mode "
                + "loopback`, its gpg-agent already running). Each tool runs once per file in a bash `for` loop, "
                + "one after another, as a pipeline step does; the `xargs -P` row shows the same tool on both cores.\n");
        md.append("- \"Wall, whole process\" is measured from process start to exit by the harness (the engine's "
                + "JVM start, class loading, provider set-up and login included; for tools, the whole loop). "
                + "\"In-JVM signing\" is what the engine JVM reports: after a first key open (set-up, shown "
                + "separately), every job opens the key again, signs with `ArtifactSigner.signAll(files, threads)` "
                + "and closes it. Engine JVMs run under `/usr/bin/time -v` for the peak RSS.\n");
        md.append("- Detached signatures go to a fresh output directory per run; embedded formats (JAR, PE) sign "
                + "fresh copies of the pristine inputs in place (the copying is not timed); tools write their signed "
                + "copy with `-signedjar`/`-out`. All inputs sit in the page cache (the machine has far more memory "
                + "than the inputs), so this measures CPU, not disk.\n");
        md.append("- No network: no timestamps, loopback only. Everything lives in a temporary directory under "
                + "`bench/work/` (git-ignored) that is deleted at the end.\n\n");
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        if (!notes.isEmpty()) {
            md.append('\n');
        }
    }

    private void rawSection(StringBuilder md) {
        md.append("## Every repetition\n\n");
        md.append("Wall time of each process in seconds, in the order the repetitions ran; for engine runs the "
                + "in-JVM time follows the slash.\n\n| method |");
        for (int r = 1; r <= reps; r++) {
            md.append(" rep ").append(r).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(reps)).append('\n');
        for (Method m : methods.values()) {
            md.append("| ").append(m.id).append(" |");
            for (Sample x : samples.get(m.id)) {
                if (x.error != null) {
                    md.append(" failed |");
                } else {
                    md.append(' ').append(f2(x.wallS));
                    if (x.num("runMs") != null) {
                        md.append(" / ").append(f2(x.num("runMs") / 1000));
                    }
                    md.append(" |");
                }
            }
            md.append('\n');
        }
        md.append('\n');
    }

    static int count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.count();
        }
    }

    private static String kb(Path dir, int n) throws IOException {
        return n == 0 ? "0" : String.format(Locale.ROOT, "%.1f", dirBytes(dir) / 1024.0 / n);
    }
}
