package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.cli.demo.DemoArtifacts;
import io.jenkins.plugins.hsmsigning.cli.demo.DemoCa;
import io.jenkins.plugins.hsmsigning.cli.demo.DemoKey;
import io.jenkins.plugins.hsmsigning.cli.demo.HtmlReport;
import io.jenkins.plugins.hsmsigning.cli.demo.SoftHsmDemoToken;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpKeys;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo's steps, printed as they happen: a throwaway CA and key, sample artifacts, signing, verification, one
 * changed byte that verification catches, and the report as JSON and HTML. It calls the engine exactly as
 * {@code sign} and {@code verify} do. No time-stamp authority is used, so nothing contacts the network.
 */
final class DemoScenario {

    private static final String PGP_USER_ID = "hsmsign demo <demo@example.invalid>";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HsmSign app;
    private final PrintWriter out;
    private final Path dir;
    private final ReportPrinter printer;
    private final SignatureReport report;

    DemoScenario(HsmSign app, PrintWriter out, PrintWriter err, Path dir) {
        this.app = app;
        this.out = out;
        this.dir = dir;
        this.printer = new ReportPrinter(out, err, new OutputOptions());
        this.report = new SignatureReport(app.runContext("demo"));
    }

    /** Exit code 0 when everything verified and the changed byte was caught. */
    int run(Path softHsmLibrary) throws Exception {
        out.println("hsmsign demo: signing and verifying with a throwaway key, without any network access.");
        out.println("Working in " + dir);
        DemoCa ca = DemoCa.create();
        Files.writeString(dir.resolve("ca.pem"), DemoCa.pem(ca.certificate()), StandardCharsets.US_ASCII);
        char[] pin = newPin();
        Files.writeString(dir.resolve("pin.txt"), new String(pin) + "\n", StandardCharsets.US_ASCII);
        DemoKey key = softHsmLibrary == null ? DemoKey.pkcs12(dir, ca, pin)
                : SoftHsmDemoToken.create(dir, softHsmLibrary, ca, pin);
        out.println("Key: " + key.description() + ", certified by a throwaway CA (ca.pem).");
        List<Artifact> detached = artifacts(DemoArtifacts.detached(dir.resolve("artifacts")));
        List<Artifact> embedded = artifacts(DemoArtifacts.embedded(dir.resolve("artifacts")));

        Signing signing = sign(key, pin, detached, embedded);
        List<ReportEntry> signed = signing.entries();

        out.println();
        out.println("Verifying against ca.pem and demo-key.asc:");
        Verifier verifier = new Verifier(VerificationOptions.trusting(List.of(ca.certificate()))
                .withPgpKeys(PgpKeys.read(signing.pgpKey().getBytes(StandardCharsets.US_ASCII), "demo-key.asc")));
        List<ReportEntry> verified = verify(verifier, Stream.concat(detached.stream(), embedded.stream()).toList());

        Artifact changed = detached.get(0);
        byte[] content = Files.readAllBytes(changed.file());
        content[0] ^= 0x20;
        Files.write(changed.file(), content);
        out.println();
        out.println("Changed one byte of " + changed.displayPath() + " and verified it again:");
        List<ReportEntry> tampered = verify(verifier, List.of(changed));

        report.write(dir.resolve("report.json"));
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
        boolean asExpected = ExitCodes.of(signed) == ExitCodes.OK && ExitCodes.of(verified) == ExitCodes.OK
                && tampered.stream().allMatch(ReportEntry::failed);
        out.println();
        out.println(asExpected ? "As expected: every signature verified, and the changed byte was caught."
                : "Something did not go as expected: see the lines above.");
        where(key, changed);
        out.flush();
        return asExpected ? ExitCodes.OK
                : ExitCodes.of(signed) != ExitCodes.OK ? ExitCodes.of(signed) : ExitCodes.VERIFICATION_FAILED;
    }

    /** What one login produced: the signatures and the armored OpenPGP public key. */
    private record Signing(List<ReportEntry> entries, String pgpKey) {
    }

    /** Signs in one login, as {@code sign} does, and exports the OpenPGP key. */
    private Signing sign(DemoKey key, char[] pin, List<Artifact> detached, List<Artifact> embedded)
            throws Exception {
        out.println();
        out.println("Signing " + names(detached) + " with detached cms and pgp signatures"
                + (embedded.isEmpty() ? "" : ", and " + names(embedded) + " in their own embedded format") + ":");
        List<ReportEntry> signed = new ArrayList<>();
        String pgpKey;
        try (Secret secret = Secret.of(pin); SigningKey signingKey = key.source().open(secret)) {
            signed.addAll(new ArtifactSigner(signingKey, SigningOptions.defaults()
                    .formats(EnumSet.of(Format.CMS, Format.PGP))).signAll(detached, 2));
            for (Artifact artifact : embedded) {
                Format own = Formats.recognize(artifact.file()).format();
                signed.addAll(new ArtifactSigner(signingKey, SigningOptions.defaults().formats(EnumSet.of(own)))
                        .sign(artifact.file(), artifact.displayPath()));
            }
            pgpKey = PgpKeys.exportArmored(signingKey, PGP_USER_ID);
        } finally {
            Arrays.fill(pin, '\0');
        }
        show(signed);
        Files.writeString(dir.resolve("demo-key.asc"), pgpKey, StandardCharsets.US_ASCII);
        out.println("Exported the OpenPGP public key to demo-key.asc. (No timestamps: the demo never contacts a "
                + "time-stamp authority.)");
        return new Signing(signed, pgpKey);
    }

    private List<ReportEntry> verify(Verifier verifier, List<Artifact> artifacts) {
        List<ReportEntry> entries = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            entries.addAll(verifier.verify(artifact.file(), artifact.displayPath()));
        }
        show(entries);
        return entries;
    }

    private void show(List<ReportEntry> entries) {
        entries.forEach(printer::entry);
        report.addAll(entries);
    }

    private void where(DemoKey key, Artifact changed) {
        out.println();
        out.println("Everything is in " + dir + ":");
        out.println("  artifacts/     the samples and their signatures (" + changed.displayPath() + " was changed "
                + "after signing)");
        out.println("  ca.pem         the throwaway CA certificate: what verify --trust takes");
        out.println("  demo-key.asc   the OpenPGP public key: what verify --pgp-key and gpg --import take");
        out.println("  pin.txt        the demo key's PIN or password");
        out.println("  report.json    the signature report; report.html shows it as a web page");
        out.println();
        String hsmsign = invocation();
        Path artifacts = dir.resolve("artifacts");
        out.println("Try it yourself:");
        out.println("  " + hsmsign + " verify --trust " + quote(dir.resolve("ca.pem")) + " --pgp-key "
                + quote(dir.resolve("demo-key.asc")) + " " + quote(artifacts.resolve("*")));
        out.println("  " + hsmsign + " inspect " + quote(artifacts.resolve("app-1.0.bin.gz")));
        out.println("  " + key.environment() + hsmsign + " sign " + key.options().stream().map(this::quote)
                .collect(Collectors.joining(" ")) + " --pin-file " + quote(dir.resolve("pin.txt"))
                + " --format cms " + quote(artifacts.resolve("README.txt")));
    }

    /** {@code java -jar hsmsign.jar} when running from the jar, which is how a reader of the README starts it. */
    private static String invocation() {
        String classPath = System.getProperty("java.class.path");
        if (!classPath.contains(File.pathSeparator) && classPath.endsWith(".jar")) {
            return "java -jar " + Path.of(classPath).toAbsolutePath();
        }
        return "hsmsign";
    }

    private String quote(Object argument) {
        String text = argument.toString();
        return text.matches("[\\w./:=@%+-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    private List<Artifact> artifacts(List<Path> files) {
        return files.stream().map(f -> new Artifact(f, dir.relativize(f).toString().replace('\\', '/'))).toList();
    }

    private static String names(List<Artifact> artifacts) {
        return artifacts.stream().map(a -> a.file().getFileName().toString()).collect(Collectors.joining(", "));
    }

    private static char[] newPin() {
        char[] pin = new char[8];
        for (int i = 0; i < pin.length; i++) {
            pin[i] = (char) ('0' + RANDOM.nextInt(10));
        }
        return pin;
    }
}
