package io.jenkins.plugins.hsmsigning.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * Runs each test twice, in-process and as a separate JVM, against the engine's shared SoftHSM2 test token. The PIN
 * reaches hsmsign through the environment variable {@link #PIN_VARIABLE}, as it would in a CI job. A test that uses
 * the token or an external tool is skipped when SoftHSM2 or the tool is missing, unless the build requires the native
 * tools (see {@link ExternalTool#missing}): {@link #token()} and the tool helpers check first.
 */
@RunWith(Parameterized.class)
public abstract class CliTestCase {

    static final String PIN_VARIABLE = "HSMSIGN_TEST_PIN";
    static final String PIN = SoftHsmToken.USER_PIN;

    private static byte[] softwareKeystore;

    @Parameters(name = "{0}")
    public static List<Object[]> modes() {
        return List.of(new Object[] {Cli.IN_PROCESS}, new Object[] {Cli.SEPARATE_PROCESS});
    }

    @Parameter
    public Cli cli;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** The working directory of every run. */
    protected Path work;

    @Before
    public void createWorkDirectory() throws IOException {
        work = temp.newFolder("work").toPath();
    }

    protected static SoftHsmToken token() {
        return SoftHsmToken.shared();
    }

    /** Key options for a key on the test token, PIN from {@link #PIN_VARIABLE}. */
    protected static List<String> tokenKey(String alias) {
        return List.of("--pkcs11-library", token().library().toString(), "--token-label", token().tokenLabel(),
                "--key-alias", alias, "--cert-chain", token().chainPem(alias).toString(), "--pin-env", PIN_VARIABLE);
    }

    protected ToolResult run(String... args) {
        return run(Map.of(PIN_VARIABLE, PIN), List.of(args));
    }

    protected ToolResult run(Map<String, String> env, List<String> args) {
        return cli.run(work, env, args);
    }

    /**
     * Key options for a software key in {@code dev.p12} in the working directory (written on first use), certified
     * for code signing by the test CA, its password ({@link #PIN}) from {@link #PIN_VARIABLE}: for tests whose point
     * is not the token, so that they run where SoftHSM2 is not installed.
     */
    protected List<String> keystoreKey() throws IOException {
        Path keystore = work.resolve("dev.p12");
        if (!Files.exists(keystore)) {
            Files.write(keystore, softwareKeystore());
        }
        return List.of("--keystore", "dev.p12", "--key-alias", "dev", "--pin-env", PIN_VARIABLE);
    }

    /** {@code hsmsign sign} with the software key of {@link #keystoreKey()}, then {@code rest}. */
    protected ToolResult signWithKeystore(String... rest) throws IOException {
        List<String> args = new ArrayList<>(List.of("sign"));
        args.addAll(keystoreKey());
        args.addAll(Arrays.asList(rest));
        return run(Map.of(PIN_VARIABLE, PIN), args);
    }

    static synchronized byte[] softwareKeystore() {
        if (softwareKeystore == null) {
            TestPki pki = TestPki.shared();
            KeyPair pair = TestPki.generateRsa(2048);
            X509Certificate certificate = pki.issueCodeSigning(pair.getPublic(), "HSM Signing Test software key");
            softwareKeystore = pki.pkcs12(pair, new X509Certificate[] {certificate}, "dev", PIN.toCharArray());
        }
        return softwareKeystore;
    }

    /** {@code hsmsign sign} with {@code alias} on the token; the rest of the arguments follow the key options. */
    protected ToolResult sign(String alias, String... rest) {
        List<String> args = new ArrayList<>(List.of("sign"));
        args.addAll(tokenKey(alias));
        args.addAll(Arrays.asList(rest));
        return run(Map.of(PIN_VARIABLE, PIN), args);
    }

    protected Path file(String relative, String content) throws IOException {
        Path file = work.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    protected static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exit code and the message a person sees, checked together so that a failure shows the whole output. */
    protected static void assertExit(int expected, ToolResult result) {
        assertEquals(result.output(), expected, result.exitCode());
    }

    /** The PIN must never be printed, whatever happened. */
    protected static void assertNoPin(ToolResult result, String... pins) {
        for (String pin : pins) {
            assertFalse("PIN printed:\n" + result.output(), result.output().contains(pin));
        }
    }

    /** {@code openssl cms -verify} of a detached signature against the test CA. */
    protected static ToolResult openSslVerify(Path artifact, Path signature, Path caPem) {
        ExternalTool.require("openssl");
        return ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-content",
                artifact.toString(), "-in", signature.toString(), "-CAfile", caPem.toString(), "-purpose", "any",
                "-out", "/dev/null"));
    }

    /** Imports {@code key} into a fresh GnuPG home and checks {@code signature} over {@code artifact} with gpg. */
    protected ToolResult gpgVerify(Path key, Path signature, Path artifact) throws IOException {
        Path home = gpgHome();
        ToolResult imported = gpg(home, "--import", key.toString());
        assertEquals(imported.output(), 0, imported.exitCode());
        return gpg(home, "--verify", signature.toString(), artifact.toString());
    }

    /** An empty GnuPG home of this test, so that gpg never touches the user's keyring. */
    protected Path gpgHome() throws IOException {
        ExternalTool.require("gpg");
        Path home = temp.newFolder().toPath();
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        return home;
    }

    /** {@code gpg --batch args} in {@code home}; the agent it may have started is stopped again. */
    protected static ToolResult gpg(Path home, String... args) {
        Map<String, String> env = Map.of("GNUPGHOME", home.toString());
        List<String> command = new ArrayList<>(List.of("gpg", "--batch"));
        command.addAll(List.of(args));
        try {
            return ExternalTool.run(command, env, null, Duration.ofMinutes(1));
        } finally {
            ExternalTool.run(List.of("gpgconf", "--kill", "all"), env, null, Duration.ofMinutes(1));
        }
    }
}
