package io.jenkins.plugins.hsmsigning.bench;

import java.util.Arrays;

/**
 * The benchmark program of issue 8. {@code bench/run} prepares the token, keys and inputs, then starts
 * {@code orchestrate}, which starts every measured process itself (engine JVMs and per-file tool loops).
 *
 * <pre>
 *   sign        one engine run in this JVM (what is timed as "the engine in one process")
 *   raw         the token's raw signature rate through SunPKCS11 directly (half of the floor)
 *   export-pgp  the engine's OpenPGP public key for a token key, for gpg --verify
 *   make-jars   small JAR files made with java.util.jar
 *   components  the engine's detached-CMS steps one at a time (where the time goes)
 *   embedded-parts  the engine's JAR/Authenticode steps one at a time, and a prototype of the proposed changes
 *   zip-preflight  the ZIP preflight over a ZIP64 archive of 70,000 entries (once a time limit in the tests)
 *   orchestrate all measurements, alternating, and the report
 *   key-service-latency  batch signing through a loopback network key service with and without latency
 * </pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Bench sign|raw|export-pgp|make-jars|components|embedded-parts|zip-preflight"
                    + "|orchestrate|key-service-latency [--option value]...");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "sign":
                EngineRun.main(rest);
                break;
            case "raw":
                RawSignatures.main(rest);
                break;
            case "export-pgp":
                EngineRun.exportPgp(rest);
                break;
            case "make-jars":
                JarMaker.main(rest);
                break;
            case "components":
                Components.main(rest);
                break;
            case "embedded-parts":
                EmbeddedParts.main(rest);
                break;
            case "zip-preflight":
                ZipPreflightRun.main(rest);
                break;
            case "orchestrate":
                Orchestrator.main(rest);
                break;
            case "key-service-latency":
                KeyServiceLatency.main(rest);
                break;
            default:
                System.err.println("unknown command " + args[0]);
                System.exit(2);
        }
    }
}
