package io.jenkins.plugins.hsmsigning.bench;

import io.jenkins.plugins.hsmsigning.bench.Orchestrator.Kind;
import io.jenkins.plugins.hsmsigning.bench.Orchestrator.Method;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The peers of issue 21: every tool a user would script instead of hsmsign, each driving the SAME token key as the
 * engine (RSA-3072 on the run's SoftHSM2 token), and the two-core floor of each workload. A peer whose tool is
 * missing is left out and named in the report ({@code peer.skipped} lines of the configuration, written by
 * {@code bench/run}). {@link PeerTable} turns the figures into the table.
 */
final class Peers {

    /** The workloads of the table, each with its engine method, its inputs and its hash-on-all-cores floor. */
    enum Workload {
        CMS("CMS, 1 MiB files", "cms", "cms-engine-rsa", "blobs"),
        PE("Authenticode PE", "pe", "pe-engine-rsa", "pe"),
        JAR("JARs", "jar", "jar-engine-rsa", "jars"),
        SMALL("CMS, many 4 KiB files", "small", "small-engine-rsa", "small"),
        LARGE("CMS, one large file, `-Xmx128m`", "large", "large-cms-rsa", "large");

        final String title;
        final String section;
        final String engineId;
        final String inputsKey;

        Workload(String title, String section, String engineId, String inputsKey) {
            this.title = title;
            this.section = section;
            this.engineId = engineId;
            this.inputsKey = inputsKey;
        }

        /** {@code bin/hsmsign} on this workload. */
        String commandId() {
            return "hsmsign-" + section;
        }

        /** {@code bin/hsmsign} with a warm daemon on this workload. */
        String daemonId() {
            return "hsmsign-daemon-" + section;
        }

        String floorHashId() {
            return this == LARGE ? "large-dgst" : "floor-hash-" + section;
        }
    }

    private final Orchestrator o;
    private final String pinnedUri;
    /** Peers left out because their tool is missing, with the reason, for the report. */
    final List<String> skipped = new ArrayList<>();

    Peers(Orchestrator o) {
        this.o = o;
        // The PIN is read from BENCH_PIN by the shell that runs the tool, never written into the configuration.
        this.pinnedUri = o.c("p11.uri") + ";pin-value=$BENCH_PIN";
    }

    void define() throws IOException {
        Path small = Path.of(o.c("small"));
        Path out = o.out("small-engine-rsa");
        o.add(new Method("small-engine-rsa", "small", "hsmsign engine, one JVM, " + o.nproc + " threads",
                Kind.ENGINE, o.engine(List.of(), "cms", "rsa3072", o.nproc, 1, small, out), Orchestrator.clean(out),
                o.cmsCheck(small, out, ".p7s", Orchestrator.firstFile(small), Orchestrator.lastFile(small), o.c("ca")),
                Orchestrator.dirBytes(small)));
        for (Workload w : Workload.values()) {
            if (w != Workload.LARGE) {
                hashOnAllCores(w, Path.of(o.c(w.inputsKey)));
            }
        }
        opensslCms(Workload.CMS, Path.of(o.c("blobs")));
        opensslCms(Workload.SMALL, small);
        if (!o.c("large", "").isEmpty()) {
            opensslCms(Workload.LARGE, Path.of(o.c("large")).getParent());
        }
        jarsigner();
        jsign();
        osslsigncode();
        if (!o.c("hsmsign", "").isEmpty()) {
            for (boolean daemon : new boolean[] {false, true}) {
                command(Workload.CMS, Path.of(o.c("blobs")), "cms", "", daemon);
                command(Workload.SMALL, small, "cms", "", daemon);
                command(Workload.PE, Path.of(o.c("pe")), "authenticode", "", daemon);
                command(Workload.JAR, Path.of(o.c("jars")), "jar", "", daemon);
                if (!o.c("large", "").isEmpty()) {
                    // a daemon keeps the heap it started with, so the large file gets no -Xmx128m there
                    command(Workload.LARGE, Path.of(o.c("large")).getParent(), "cms", daemon ? "" : "-Xmx128m",
                            daemon);
                }
            }
        }
    }

    /**
     * hsmsign as users run it: the distribution's {@code bin/hsmsign} (its compiler settings and, when bench/run
     * got one, its class archive), once over the workload's files, names relative to their directory. Detached
     * signatures go to an output directory; embedded ones are made in place on a fresh copy of the inputs. With
     * {@code daemon}, {@code HSMSIGN_DAEMON=on}, and before each timed run the same command runs once untimed (on
     * a scratch copy), so that the daemon is up and has signed this kind of batch before, as after a user's earlier
     * runs.
     */
    private void command(Workload w, Path inputs, String format, String javaOpts, boolean daemon)
            throws IOException {
        String id = daemon ? w.daemonId() : w.commandId();
        boolean embedded = !format.equals("cms");
        Path dir = embedded ? o.emb(id) : inputs;
        Path out = o.out(id);
        String first = Orchestrator.firstFile(inputs);
        String last = Orchestrator.lastFile(inputs);
        String check = switch (format) {
            case "cms" -> o.cmsCheck(inputs, out, ".p7s", first, last, o.c("ca"));
            case "jar" -> Orchestrator.embeddedCheck(jarVerify(), dir, first, last, "jar verified.");
            default -> peCheck(dir, inputs);
        };
        String label = "`bin/hsmsign sign`, one run" + (o.c("hsmsign.archive", "").isEmpty()
                ? " (no class archive)" : ", with its class archive")
                + (daemon ? ", `HSMSIGN_DAEMON=on` (a daemon that has signed this batch before)" : "");
        List<String> sign = Orchestrator.bash(signCommand(format, javaOpts, daemon, dir, out, embedded));
        Orchestrator.Step fresh = embedded ? Orchestrator.copy(inputs, dir) : Orchestrator.clean(out);
        Orchestrator.Step prepare = !daemon ? fresh : () -> {
            fresh.run();
            Orchestrator.runUntimed(sign);
            fresh.run();
        };
        o.add(new Method(id, w.section, label, Kind.TOOL, sign, prepare, check, Orchestrator.dirBytes(inputs)));
    }

    private String signCommand(String format, String javaOpts, boolean daemon, Path dir, Path out,
            boolean embedded) {
        return "cd " + Orchestrator.q(dir.toString()) + " && JAVA_OPTS=" + Orchestrator.q(javaOpts)
                + (daemon ? " HSMSIGN_DAEMON=on HSMSIGN_DAEMON_IDLE=1800" : "") + " "
                + Orchestrator.q(o.c("hsmsign")) + " sign --pkcs11-library " + Orchestrator.q(o.c("library"))
                + " --token-label " + Orchestrator.q(o.c("token")) + " --key-alias rsa3072 --cert-chain "
                + Orchestrator.q(o.c("ca")) + " --pin-env BENCH_PIN --format " + format + " --quiet"
                + (embedded ? "" : " --out " + Orchestrator.q(out.toString())) + " *";
    }

    /** {@code sha256sum} over the workload's files, split evenly over all cores: the hash half of the floor. */
    private void hashOnAllCores(Workload w, Path dir) throws IOException {
        int perProcess = Math.max(1, (count(dir) + o.nproc - 1) / o.nproc);
        o.add(new Method(w.floorHashId(), w.section, "`sha256sum` of the same files on " + o.nproc + " cores "
                + "(xargs -P " + o.nproc + ")", Kind.TOOL,
                Orchestrator.bash("find " + Orchestrator.q(dir.toString()) + " -type f -print0 | xargs -0 -P " + o.nproc
                        + " -n " + perProcess + " sha256sum > /dev/null"), () -> { }, null,
                Orchestrator.dirBytes(dir)));
    }

    /** {@code openssl cms -sign} once per file with the pkcs11 engine of libp11 and the token's key. */
    private void opensslCms(Workload w, Path inputs) throws IOException {
        String id = "peer-" + w.section + "-openssl-p11";
        if (skipped("openssl-p11", w)) {
            return;
        }
        Path out = o.out(id);
        String sign = "OPENSSL_CONF=" + Orchestrator.q(o.c("p11.opensslConf")) + " openssl cms -sign -binary -md sha256"
                + " -outform DER -engine pkcs11 -keyform engine -inkey \"" + pinnedUri + "\" -signer "
                + Orchestrator.q(o.c("token.cert")) + " -certfile " + Orchestrator.q(o.c("ca")) + " -in \"$f\" -out "
                + Orchestrator.q(out.toString()) + "/\"${f##*/}.p7s\" 2> /dev/null";
        o.add(new Method(id, w.section, "`openssl cms -sign` + pkcs11 engine, once per file", Kind.TOOL,
                Orchestrator.bash("for f in " + Orchestrator.q(inputs.toString()) + "/*; do " + sign + "; done"),
                Orchestrator.clean(out), o.cmsCheck(inputs, out, ".p7s", Orchestrator.firstFile(inputs),
                        Orchestrator.lastFile(inputs), o.c("ca")), Orchestrator.dirBytes(inputs)));
    }

    /** {@code jarsigner} once per JAR with SunPKCS11 on the token. */
    private void jarsigner() throws IOException {
        Path jars = Path.of(o.c("jars"));
        String id = "peer-jar-jarsigner-p11";
        Path out = o.out(id);
        o.add(new Method(id, "jar", "`jarsigner` + SunPKCS11, once per file", Kind.TOOL,
                Orchestrator.bash("for f in " + Orchestrator.q(jars.toString()) + "/*; do jarsigner -keystore NONE "
                        + "-storetype PKCS11 -providerClass sun.security.pkcs11.SunPKCS11 -providerArg "
                        + Orchestrator.q(o.c("sunpkcs11.cfg")) + " -storepass \"$BENCH_PIN\" -certchain "
                        + Orchestrator.q(o.c("token.chain")) + " -digestalg SHA-256 -sigalg SHA256withRSA -signedjar "
                        + Orchestrator.q(out.toString()) + "/\"${f##*/}\" \"$f\" rsa3072 > /dev/null; done"),
                Orchestrator.clean(out), Orchestrator.embeddedCheck(jarVerify(), out, Orchestrator.firstFile(jars),
                        Orchestrator.lastFile(jars), "jar verified."), Orchestrator.dirBytes(jars)));
    }

    /** jsign with SunPKCS11 on the token: all files in one invocation, and once per file. Signs in place. */
    private void jsign() throws IOException {
        if (skipped("jsign", Workload.PE)) {
            return;
        }
        Path pes = Path.of(o.c("pe"));
        String jsign = "java -jar " + Orchestrator.q(o.c("jsign.jar")) + " --storetype PKCS11 --keystore "
                + Orchestrator.q(o.c("sunpkcs11.cfg")) + " --storepass \"$BENCH_PIN\" --alias rsa3072 --certfile "
                + Orchestrator.q(o.c("token.chain")) + " --alg SHA-256 --quiet";
        Path batch = o.emb("peer-pe-jsign-batch");
        o.add(new Method("peer-pe-jsign-batch", "pe", "jsign + SunPKCS11, all files in one run", Kind.TOOL,
                Orchestrator.bash(jsign + " " + Orchestrator.q(batch.toString()) + "/*"), Orchestrator.copy(pes, batch),
                peCheck(batch, pes), Orchestrator.dirBytes(pes)));
        Path each = o.emb("peer-pe-jsign-each");
        o.add(new Method("peer-pe-jsign-each", "pe", "jsign + SunPKCS11, once per file", Kind.TOOL,
                Orchestrator.bash("for f in " + Orchestrator.q(each.toString()) + "/*; do " + jsign + " \"$f\"; done"),
                Orchestrator.copy(pes, each), peCheck(each, pes), Orchestrator.dirBytes(pes)));
    }

    /** osslsigncode once per file with the pkcs11 engine and SoftHSM2 as its module. */
    private void osslsigncode() throws IOException {
        if (skipped("osslsigncode-p11", Workload.PE)) {
            return;
        }
        Path pes = Path.of(o.c("pe"));
        String id = "peer-pe-osslsigncode-p11";
        Path out = o.out(id);
        o.add(new Method(id, "pe", "`osslsigncode sign` + pkcs11 engine, once per file", Kind.TOOL,
                Orchestrator.bash("for f in " + Orchestrator.q(pes.toString()) + "/*; do osslsigncode sign "
                        + "-pkcs11engine " + Orchestrator.q(o.c("p11.engine")) + " -pkcs11module "
                        + Orchestrator.q(o.c("library")) + " -key \"" + pinnedUri + "\" -certs "
                        + Orchestrator.q(o.c("token.chain")) + " -h sha256 -in \"$f\" -out "
                        + Orchestrator.q(out.toString()) + "/\"${f##*/}\" > /dev/null 2>&1; done"),
                Orchestrator.clean(out), peCheck(out, pes), Orchestrator.dirBytes(pes)));
    }

    private String peCheck(Path dir, Path pristine) throws IOException {
        return Orchestrator.embeddedCheck("osslsigncode verify -CAfile " + Orchestrator.q(o.c("ca")) + " -in", dir,
                Orchestrator.firstFile(pristine), Orchestrator.lastFile(pristine), "Signature verification: ok");
    }

    private String jarVerify() {
        return "jarsigner -verify -strict -keystore " + Orchestrator.q(o.c("trust.p12")) + " -storetype PKCS12 "
                + "-storepass " + Orchestrator.q(o.c("sw.pass"));
    }

    /** True, and a note for the report, when bench/run found the peer's tool missing. */
    private boolean skipped(String peer, Workload w) {
        String why = o.c("peer.skipped." + peer, "");
        if (why.isEmpty()) {
            return false;
        }
        String note = peer + " (" + w.title + "): " + why;
        if (!skipped.contains(note)) {
            skipped.add(note);
        }
        return true;
    }

    private static int count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.count();
        }
    }

    /** What issue 21's table needs: the engine's run per workload, the peers, the floors. */
    Set<String> neededIds() {
        Set<String> ids = new HashSet<>(Set.of("floor-raw-rsa", "large-dgst"));
        for (Workload w : Workload.values()) {
            ids.add(w.engineId);
            ids.add(w.commandId());
            ids.add(w.daemonId());
        }
        for (String id : o.methods.keySet()) {
            if (id.startsWith("peer-") || id.startsWith("floor-hash-")) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The peers measured for a workload, in the order they were defined. */
    List<Method> of(Workload w) {
        List<Method> list = new ArrayList<>();
        for (Method m : o.methods.values()) {
            if (m.id.startsWith("peer-" + w.section + "-")) {
                list.add(m);
            }
        }
        return list;
    }
}
