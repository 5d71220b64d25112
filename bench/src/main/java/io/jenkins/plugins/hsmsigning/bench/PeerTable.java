package io.jenkins.plugins.hsmsigning.bench;

import io.jenkins.plugins.hsmsigning.bench.Orchestrator.Method;
import io.jenkins.plugins.hsmsigning.bench.Orchestrator.Sample;
import io.jenkins.plugins.hsmsigning.bench.Peers.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The issue-21 table: per workload, hsmsign against the best peer driving the same token key, and against the
 * two-core floor. The floor of one repetition is the workload's hash on all cores ({@code sha256sum} under
 * {@code xargs -P}; for the single large file one {@code openssl dgst} stream, as a single file hashes on one core)
 * plus one raw token signature per file at the two-thread rate {@link RawSignatures} measured in the same repetition.
 */
final class PeerTable {

    /** Around the section in the report, so that {@code bench/run --peers} can replace it alone. */
    static final String BEGIN = "<!-- peers:begin (bench/run --peers replaces this section) -->";
    static final String END = "<!-- peers:end -->";

    private final Orchestrator o;
    private final Peers peers;

    PeerTable(Orchestrator o, Peers peers) {
        this.o = o;
        this.peers = peers;
    }

    void write(StringBuilder md) throws IOException {
        md.append("## hsmsign against its peers, same token key (issue 21)\n\n");
        md.append("Every peer signs with the engine's own RSA-3072 key on the run's SoftHSM2 token: `openssl cms` and "
                + "`osslsigncode` through the OpenSSL pkcs11 engine (libp11) with SoftHSM2 as its module, `jarsigner` "
                + "and jsign through SunPKCS11. \"hsmsign\" is the command as users run it: the distribution's "
                + "`bin/hsmsign sign` once over the workload's files, ")
                .append(o.c("hsmsign.archive", "").isEmpty() ? "without a class archive (none was made)"
                        : "with the class archive (AppCDS) its first run made")
                .append(", on its default threads. \"Engine\" is the engine alone in a fresh JVM on ").append(o.nproc)
                .append(" threads (the harness of the other sections), timed as a whole process and, in brackets, "
                        + "in-JVM, leaving out the JVM start and the first login. The floor is the workload's SHA-256 "
                        + "on ").append(o.nproc)
                .append(" cores (`sha256sum` under `xargs -P`; for the one large file a single `openssl dgst` "
                        + "stream) plus one raw token signature per file at the rate of ").append(o.nproc)
                .append(" threads signing at once (SunPKCS11, no engine code), both measured in the same "
                        + "repetition. Ratios are between medians; above 1 in \"peer ÷ hsmsign\" means hsmsign is "
                        + "faster.\n\n");
        md.append("With `HSMSIGN_DAEMON=on`, `bin/hsmsign` hands the command to a daemon of the user's (see the "
                + "README); that column is a daemon that has signed the same batch once before (an untimed run "
                + "just before each timed one), and its large file runs without `-Xmx128m`, since a daemon keeps "
                + "the heap it started with.\n\n");
        md.append("| workload | hsmsign | hsmsign, warm daemon | engine, whole process (in-JVM) | best peer | "
                + "peer ÷ hsmsign (÷ daemon) | floor | hsmsign ÷ floor (daemon ÷ floor; engine in-JVM ÷ floor) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Workload w : Workload.values()) {
            if (!o.methods.containsKey(w.engineId)) {
                continue;
            }
            int files = files(w);
            Stats hsmsign = hsmsign(w);
            Stats engine = o.wall(w.engineId);
            Stats inJvm = o.run(w.engineId);
            Method best = best(w);
            Stats floor = floor(w, files);
            boolean withDaemon = o.methods.containsKey(w.daemonId());
            Stats daemon = withDaemon ? o.wall(w.daemonId()) : null;
            md.append("| ").append(files).append(" × ").append(w.title).append(" | ")
                    .append(o.methods.containsKey(w.commandId())
                            ? Orchestrator.f2(hsmsign.median()) + o.failureNote(w.commandId()) : "—")
                    .append(" | ")
                    .append(withDaemon ? Orchestrator.f2(daemon.median()) + o.failureNote(w.daemonId()) : "—")
                    .append(" | ").append(Orchestrator.f2(engine.median())).append(" (")
                    .append(Orchestrator.f2(inJvm.median())).append(")").append(o.failureNote(w.engineId))
                    .append(" | ")
                    .append(best == null ? "—" : best.label + ": " + Orchestrator.f2(o.wall(best.id).median()))
                    .append(" | ")
                    .append(best == null ? "—" : Orchestrator.f2(o.wall(best.id).median() / hsmsign.median())
                            + (withDaemon ? " (" + Orchestrator.f2(o.wall(best.id).median() / daemon.median()) + ")"
                                    : ""))
                    .append(" | ").append(Orchestrator.f2(floor.median())).append(" | ")
                    .append(Orchestrator.f2(hsmsign.median() / floor.median())).append(" (")
                    .append(withDaemon ? Orchestrator.f2(daemon.median() / floor.median()) + "; " : "")
                    .append(Orchestrator.f2(inJvm.median() / floor.median())).append(") |\n");
        }
        md.append("\nEvery peer, wall time of the whole loop or run, median (min–max):\n\n");
        md.append("| workload | peer | wall | peer ÷ hsmsign |\n|---|---|---|---|\n");
        for (Workload w : Workload.values()) {
            for (Method m : peers.of(w)) {
                md.append("| ").append(w.title).append(" | ").append(m.label).append(o.failureNote(m.id))
                        .append(" | ").append(o.wall(m.id).format("%.2f")).append(" | ")
                        .append(Orchestrator.f2(o.wall(m.id).median() / hsmsign(w).median())).append(" |\n");
            }
        }
        md.append("\n`bin/hsmsign`, wall time of each run, median (min–max): ").append(ranges(Workload::commandId))
                .append(". With a warm daemon: ").append(ranges(Workload::daemonId)).append(".\n");
        md.append("\nNot a peer here: jsign does not sign JARs; osslsigncode signs PE, not JAR or detached CMS.");
        if (!peers.skipped.isEmpty()) {
            md.append(" **Left out because their tool was missing:** ").append(String.join("; ", peers.skipped))
                    .append('.');
        }
        md.append("\n\n");
    }

    private String ranges(java.util.function.Function<Workload, String> id) {
        List<String> ranges = new ArrayList<>();
        for (Workload w : Workload.values()) {
            if (o.methods.containsKey(id.apply(w))) {
                ranges.add(w.title + " " + o.wall(id.apply(w)).format("%.2f"));
            }
        }
        return ranges.isEmpty() ? "not measured" : String.join("; ", ranges);
    }

    /** {@code bin/hsmsign}'s run of the workload; the engine's whole process where the command was not measured. */
    private Stats hsmsign(Workload w) {
        return o.methods.containsKey(w.commandId()) ? o.wall(w.commandId()) : o.wall(w.engineId);
    }

    /** Puts {@code section} between the markers of {@code output}, or at its end when it has none. */
    static void splice(Path output, String section) throws IOException {
        String old = Files.exists(output) ? Files.readString(output) : "# Benchmarks\n\n";
        String block = BEGIN + "\n" + section + END + "\n";
        int a = old.indexOf(BEGIN);
        int b = old.indexOf(END);
        String updated = a >= 0 && b > a ? old.substring(0, a) + block + old.substring(Math.min(old.length(), b + END.length() + 1))
                : old + "\n" + block;
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, updated);
    }

    /** The fastest peer by median wall time among those that ran and passed their check. */
    private Method best(Workload w) {
        Method best = null;
        for (Method m : peers.of(w)) {
            if (o.wall(m.id).empty() || o.failed(m.id)) {
                continue;
            }
            if (best == null || o.wall(m.id).median() < o.wall(best.id).median()) {
                best = m;
            }
        }
        return best;
    }

    private int files(Workload w) throws IOException {
        return w == Workload.LARGE ? 1 : Orchestrator.count(Path.of(o.c(w.inputsKey)));
    }

    /** Per repetition: hash on all cores + files × the two-thread raw signature time per signature. */
    private Stats floor(Workload w, int files) {
        List<Double> v = new ArrayList<>();
        List<Sample> hash = o.samples.getOrDefault(w.floorHashId(), List.of());
        List<Sample> raw = o.samples.getOrDefault("floor-raw-rsa", List.of());
        for (int i = 0; i < Math.min(hash.size(), raw.size()); i++) {
            Sample h = hash.get(i);
            Sample r = raw.get(i);
            if (h.error == null && r.error == null && r.num("twoThreadsMs") != null) {
                v.add(h.wallS + files * r.num("twoThreadsMs") / r.num("count") / 1000);
            }
        }
        return new Stats(v);
    }
}
