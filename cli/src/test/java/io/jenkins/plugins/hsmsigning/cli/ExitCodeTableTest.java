package io.jenkins.plugins.hsmsigning.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * The README's exit-code table, row by row, for every command: 0 ok, 1 a signature did not verify, 2 usage or
 * configuration, 3 key, token, PIN or timestamp, 4 input; and the precedence when one run has several kinds of
 * failure (a signature that did not verify always wins). Software key, so that it runs without SoftHSM2.
 */
@RunWith(Parameterized.class)
public class ExitCodeTableTest {

    private static final String PIN_VARIABLE = CliTestCase.PIN_VARIABLE;
    private static final String KEY = "@key";
    private static final List<String> SUBCOMMANDS = List.of("sign", "verify", "inspect", "export-pgp-key", "attest",
            "export-public-key", "list-keys", "csr", "import-certificate", "demo");

    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static Path work;

    @Parameter(0)
    public String name;

    @Parameter(1)
    public int expected;

    @Parameter(2)
    public List<String> args;

    @Parameter(3)
    public String pin;

    @Parameters(name = "{0} -> {1}")
    public static List<Object[]> table() {
        List<Object[]> rows = new ArrayList<>();
        for (String command : SUBCOMMANDS) {
            rows.add(row(command + " -V", 0, command, "-V"));
            rows.add(row(command + " --help", 0, command, "--help"));
            rows.add(row(command + " with an unknown option", 2, command, "--bogus", "app.txt"));
        }
        rows.add(row("sign ok", 0, "sign", KEY, "fresh.txt"));
        rows.add(row("sign without files", 2, "sign", KEY));
        rows.add(row("sign --digest MD5", 2, "sign", KEY, "--digest", "MD5", "fresh.txt"));
        rows.add(row("sign --format auto --format jar", 2, "sign", KEY, "--format", "auto", "--format", "jar",
                "fresh.txt"));
        rows.add(row("sign --report of an unknown type", 2, "sign", KEY, "--report", "report.txt", "fresh.txt"));
        rows.add(row("sign --report below a file", 2, "sign", KEY, "--report", "app.txt/r.json", "fresh.txt"));
        rows.add(row("sign --trust missing file", 2, "sign", KEY, "--trust", "missing.pem", "fresh.txt"));
        rows.add(wrongPin(row("sign with a wrong password", 3, "sign", KEY, "fresh.txt")));
        rows.add(row("sign without an answering TSA", 3, "sign", KEY, "--tsa", "http://127.0.0.1:9/", "fresh.txt"));
        rows.add(row("sign a missing file", 4, "sign", KEY, "missing.txt"));
        rows.add(row("sign a truncated JAR", 4, "sign", KEY, "--format", "jar", "truncated.jar"));
        rows.add(row("sign a missing file and a good one", 4, "sign", KEY, "missing.txt", "fresh.txt"));
        rows.add(row("verify ok", 0, "verify", "--trust", "ca.pem", "--pgp-key", "key.asc", "app.txt"));
        rows.add(row("verify a tampered file", 1, "verify", "--trust", "ca.pem", "tampered.txt"));
        rows.add(row("verify an unsigned file", 1, "verify", "--trust", "ca.pem", "unsigned.txt"));
        rows.add(row("verify a truncated signed JAR", 1, "verify", "--trust", "ca.pem", "truncated.jar"));
        rows.add(row("verify a tampered file and a missing one", 1, "verify", "--trust", "ca.pem", "tampered.txt",
                "missing.txt"));
        rows.add(row("verify without trust", 2, "verify", "app.txt"));
        rows.add(row("verify --trust missing file", 2, "verify", "--trust", "missing.pem", "app.txt"));
        rows.add(row("verify --trust not a certificate", 2, "verify", "--trust", "app.txt", "app.txt"));
        rows.add(row("verify an X.509 file as --pgp-key", 2, "verify", "--pgp-key", "ca.pem", "app.txt"));
        rows.add(row("verify --report of an unknown type", 2, "verify", "--trust", "ca.pem", "--report", "r.xml",
                "app.txt"));
        rows.add(row("verify a missing file", 4, "verify", "--trust", "ca.pem", "--pgp-key", "key.asc", "app.txt",
                "missing.txt"));
        rows.add(row("verify a glob that matches nothing", 4, "verify", "--trust", "ca.pem", "none/*.txt"));
        rows.add(row("inspect ok", 0, "inspect", "app.txt", "l*.jar"));
        rows.add(row("inspect an unsigned file", 1, "inspect", "unsigned.txt"));
        rows.add(row("inspect a missing file", 4, "inspect", "missing.txt"));
        rows.add(row("export-pgp-key ok", 0, "export-pgp-key", KEY, "--out", "exported.asc"));
        rows.add(row("export-pgp-key without --out", 2, "export-pgp-key", KEY));
        rows.add(row("export-pgp-key --out below a file", 2, "export-pgp-key", KEY, "--out", "app.txt/k.asc"));
        rows.add(wrongPin(row("export-pgp-key with a wrong password", 3, "export-pgp-key", KEY, "--out", "x.asc")));
        rows.add(row("export-public-key ok", 0, "export-public-key", KEY, "--out", "exported.pem"));
        rows.add(wrongPin(row("export-public-key with a wrong password", 3, "export-public-key", KEY, "--out",
                "x.pem")));
        rows.add(row("attest ok", 0, "attest", KEY, "--builder-id", "https://ci.example/job/1", "--out",
                "attested.sigstore.json", "app.txt"));
        rows.add(row("attest without --builder-id", 2, "attest", KEY, "app.txt"));
        rows.add(wrongPin(row("attest with a wrong password", 3, "attest", KEY, "--builder-id", "https://ci.example",
                "--out", "x.sigstore.json", "app.txt")));
        rows.add(row("attest a missing file", 4, "attest", KEY, "--builder-id", "https://ci.example", "--out",
                "y.sigstore.json", "missing.txt"));
        rows.add(row("list-keys with a keystore", 2, "list-keys", KEY));
        rows.add(row("csr without --subject", 2, "csr", KEY, "--out", "k.csr"));
        rows.add(row("csr --out below a file", 2, "csr", KEY, "--subject", "CN=x", "--out", "app.txt/k.csr"));
        rows.add(row("import-certificate with a keystore", 2, "import-certificate", KEY, "ca.pem"));
        rows.add(row("import-certificate of a missing file", 2, "import-certificate", KEY, "missing.pem"));
        return rows;
    }

    private static Object[] row(String name, int expected, String... args) {
        return new Object[] {name, expected, List.of(args), CliTestCase.PIN};
    }

    private static Object[] wrongPin(Object[] row) {
        row[3] = "wrong-password";
        return row;
    }

    /** One directory for all rows: signed, tampered, unsigned and truncated files; rows only add files to it. */
    @BeforeClass
    public static void artifacts() throws Exception {
        work = TEMP.newFolder("work").toPath();
        Files.write(work.resolve("dev.p12"), CliTestCase.softwareKeystore());
        TestPki.shared().writeCaPem(work.resolve("ca.pem"));
        Files.writeString(work.resolve("app.txt"), "signed\n");
        Files.writeString(work.resolve("tampered.txt"), "signed\n");
        Files.writeString(work.resolve("unsigned.txt"), "nobody signed me\n");
        Files.writeString(work.resolve("fresh.txt"), "sign me\n");
        writeJar(work.resolve("lib.jar"));
        assertOk(run(CliTestCase.PIN, List.of("sign", KEY, "--format", "cms", "--format", "pgp", "app.txt",
                "tampered.txt")));
        assertOk(run(CliTestCase.PIN, List.of("sign", KEY, "lib.jar")));
        assertOk(run(CliTestCase.PIN, List.of("export-pgp-key", KEY, "--out", "key.asc")));
        Files.writeString(work.resolve("tampered.txt"), "signet\n");
        byte[] jar = Files.readAllBytes(work.resolve("lib.jar"));
        Files.write(work.resolve("truncated.jar"), Arrays.copyOf(jar, jar.length / 2));
    }

    @AfterClass
    public static void forget() {
        work = null;
    }

    @Test
    public void exitCode() {
        ToolResult result = run(pin, args);

        assertEquals(name + "\n" + result.output(), expected, result.exitCode());
        if (args.contains("-V")) {
            assertTrue(result.output(), result.stdout().startsWith("hsmsign "));
        }
    }

    private static ToolResult run(String pin, List<String> args) {
        List<String> expanded = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(KEY)) {
                expanded.addAll(List.of("--keystore", "dev.p12", "--key-alias", "dev", "--pin-env", PIN_VARIABLE));
            } else {
                expanded.add(arg);
            }
        }
        return Cli.IN_PROCESS.run(work, Map.of(PIN_VARIABLE, pin), expanded);
    }

    private static void assertOk(ToolResult result) {
        assertEquals(result.output(), 0, result.exitCode());
    }

    private static void writeJar(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (int i = 0; i < 20; i++) {
                jar.putNextEntry(new JarEntry("data/file" + i + ".txt"));
                jar.write(("entry " + i + " with some content to sign\n").repeat(50).getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
    }
}
