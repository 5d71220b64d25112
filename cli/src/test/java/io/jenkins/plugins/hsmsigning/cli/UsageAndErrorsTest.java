package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeFalse;
import static org.junit.Assume.assumeTrue;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignatureReport;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Every mistake gets one clear sentence, the documented exit code, no PIN in the output, and an untouched file. */
public class UsageAndErrorsTest extends CliTestCase {

    private static final String WRONG_PIN = "987650";

    private Path artifact;
    private String before;

    @Before
    public void createArtifact() throws Exception {
        artifact = file("app.txt", "do not touch\n");
        before = sha256(artifact);
    }

    @After
    public void artifactIsUntouched() throws Exception {
        assertEquals(before, sha256(artifact));
    }

    @Test
    public void unknownOptionsAndMissingArgumentsAreUsageErrors() {
        ToolResult unknown = run("sign", "--bogus", "app.txt");
        assertExit(2, unknown);
        assertThat(unknown.stderr(), containsString("Unknown option: '--bogus'"));
        assertThat(unknown.stderr(), containsString("Run 'hsmsign sign --help' for the options."));
        assertExit(2, run("sign"));
        assertExit(2, run("frobnicate"));
    }

    @Test
    public void aPinArgumentIsRefusedWithoutEchoingIt() {
        for (List<String> pin : List.of(List.of("--pin", PIN), List.of("--pin=" + PIN), List.of("--pin-env", PIN))) {
            List<String> args = new ArrayList<>(List.of("sign", "--pkcs11-library", token().library().toString(),
                    "--token-label", token().tokenLabel(), "--key-alias", SoftHsmToken.RSA3072));
            args.addAll(pin);
            args.add("app.txt");

            ToolResult result = run(Map.of(), args);

            assertExit(2, result);
            assertThat(result.stderr(), containsString("--pin-env"));
            assertNoPin(result, PIN);
        }
    }

    @Test
    public void missingPinVariableOrFileIsAUsageError() {
        ToolResult variable = run(Map.of(), keyWithPin("--pin-env", "HSMSIGN_TEST_UNSET_PIN"));
        ToolResult file = run(Map.of(), keyWithPin("--pin-file", "no-such-pin.txt"));
        ToolResult none = run(Map.of(), List.of("sign", "--pkcs11-library", token().library().toString(),
                "--token-label", token().tokenLabel(), "--key-alias", SoftHsmToken.RSA3072, "app.txt"));

        assertExit(2, variable);
        assertThat(variable.stderr(), containsString(
                "The environment variable HSMSIGN_TEST_UNSET_PIN given by --pin-env is not set."));
        assertExit(2, file);
        assertThat(file.stderr(), containsString("no-such-pin.txt given by --pin-file cannot be read."));
        assertExit(2, none);
        assertThat(none.stderr(), containsString("Give the PIN through exactly one of --pin-env"));
        assertNoSignature();
    }

    @Test
    public void wrongPinIsAKeyErrorWithoutPinEvenWithDebug() {
        ToolResult wrong = run(Map.of(PIN_VARIABLE, WRONG_PIN), keyWithPin("--pin-env", PIN_VARIABLE));
        ToolResult debug = run(Map.of(PIN_VARIABLE, WRONG_PIN), withDebug(keyWithPin("--pin-env", PIN_VARIABLE)));

        assertExit(3, wrong);
        assertThat(wrong.stderr(), containsString("Wrong PIN for PKCS#11 token 'hsmsign-test'"));
        assertThat(wrong.stderr(), not(containsString("\tat ")));
        assertNoPin(wrong, WRONG_PIN, PIN);
        assertExit(3, debug);
        assertThat(debug.stderr(), containsString("\tat io.jenkins.plugins.hsmsigning."));
        assertNoPin(debug, WRONG_PIN, PIN);
        assertNoSignature();
    }

    @Test
    public void aReportIsWrittenEvenWhenTheKeyCannotBeUsed() throws Exception {
        List<String> args = new ArrayList<>(keyWithPin("--pin-env", PIN_VARIABLE));
        args.addAll(1, List.of("--report", "report.json"));

        ToolResult wrong = run(Map.of(PIN_VARIABLE, WRONG_PIN), args);

        assertExit(3, wrong);
        List<ReportEntry> entries = SignatureReport.read(work.resolve("report.json")).entries();
        assertEquals(1, entries.size());
        assertEquals("app.txt", entries.get(0).path());
        assertEquals(Status.FAILED, entries.get(0).status());
        assertEquals(Failure.KEY_ERROR, entries.get(0).failure());
        assertThat(entries.get(0).reason(), containsString("Wrong PIN"));
        assertThat(Files.readString(work.resolve("report.json")), not(containsString(WRONG_PIN)));
        assertNoSignature();
    }

    @Test
    public void rightPinWithDebugIsNotPrintedEither() throws Exception {
        Files.writeString(work.resolve("pin.txt"), PIN + "\r\n");
        Path copy = file("copy.txt", "sign me");

        ToolResult signed = run(Map.of(), withDebug(List.of("sign", "--pkcs11-library",
                token().library().toString(), "--token-label", token().tokenLabel(), "--key-alias",
                SoftHsmToken.RSA3072, "--pin-file", "pin.txt", "copy.txt")));

        assertExit(0, signed);
        assertNoPin(signed, PIN);
        assertFalse(Files.exists(work.resolve("app.txt.p7s")));
        assertThat(Files.readString(copy), containsString("sign me"));
    }

    @Test
    public void badKeySourceOptionsAreUsageOrKeyErrors() {
        ToolResult none = run("sign", "--pin-env", PIN_VARIABLE, "app.txt");
        ToolResult both = sign(SoftHsmToken.RSA3072, "--keystore", "dev.p12", "app.txt");
        ToolResult twoSelectors = sign(SoftHsmToken.RSA3072, "--slot", "1", "app.txt");
        ToolResult noChain = run(Map.of(PIN_VARIABLE, PIN), replace(tokenKey(SoftHsmToken.RSA3072),
                token().chainPem(SoftHsmToken.RSA3072).toString(), "missing-chain.pem"));
        ToolResult noLibrary = run(Map.of(PIN_VARIABLE, PIN), replace(tokenKey(SoftHsmToken.RSA3072),
                token().library().toString(), "/nonexistent/libpkcs11.so"));
        ToolResult noToken = run(Map.of(PIN_VARIABLE, PIN), replace(tokenKey(SoftHsmToken.RSA3072),
                token().tokenLabel(), "no-such-token"));
        ToolResult noKey = run(Map.of(PIN_VARIABLE, PIN), replace(tokenKey(SoftHsmToken.RSA3072),
                SoftHsmToken.RSA3072, "no-such-key"));

        assertExit(2, none);
        assertThat(none.stderr(), containsString("Choose the key with either --pkcs11-library"));
        assertExit(2, both);
        assertExit(2, twoSelectors);
        assertThat(twoSelectors.stderr(), containsString("exactly one of --token-label, --slot and --slot-list-index"));
        assertExit(2, noChain);
        assertThat(noChain.stderr(), containsString("missing-chain.pem cannot be read"));
        assertExit(3, noLibrary);
        assertThat(noLibrary.stderr(), containsString("/nonexistent/libpkcs11.so does not exist"));
        assertExit(3, noToken);
        assertThat(noToken.stderr(), containsString("No token with --token-label 'no-such-token'"));
        assertThat(noToken.stderr(), not(containsString("SOFTHSM2_CONF is not set")));
        assertExit(3, noKey);
        assertThat(noKey.stderr(), containsString("has no key with --key-alias 'no-such-key'"));
        assertNoSignature();
    }

    @Test
    public void badSigningOptionsAreUsageErrors() throws Exception {
        ToolResult digest = signWithKeystore("--digest", "MD5", "app.txt");
        ToolResult format = signWithKeystore("--format", "zip", "app.txt");
        ToolResult auto = signWithKeystore("--format", "auto", "--format", "jar", "app.txt");
        ToolResult tsa = signWithKeystore("--tsa", "ftp://tsa.example", "app.txt");
        ToolResult trust = run("verify", "app.txt");

        assertExit(2, digest);
        assertThat(digest.stderr(), containsString("Unknown digest algorithm 'MD5'"));
        assertExit(2, format);
        assertThat(format.stderr(), containsString("Unknown signature format 'zip'"));
        assertExit(2, auto);
        assertThat(auto.stderr(), containsString("--format auto picks the embedded format by itself, so it combines "
                + "only with cms and pgp, not with jar."));
        assertExit(2, tsa);
        assertThat(tsa.stderr(), containsString("must be an http or https URL"));
        assertExit(2, trust);
        assertThat(trust.stderr(), containsString("Give what to trust"));
        assertNoSignature();
    }

    @Test
    public void missingFilesAreInputErrors() throws Exception {
        ToolResult missing = signWithKeystore("missing.bin");
        ToolResult glob = signWithKeystore("nothing/**/*.exe");

        assertExit(4, missing);
        assertThat(missing.stdout(), containsString("The artifact missing.bin does not exist"));
        assertExit(4, glob);
        assertThat(glob.stderr(), containsString("No file matches 'nothing/**/*.exe'"));
        assertNoSignature();
    }

    @Test
    public void aFileOfTheWrongFormatIsAnInputErrorAndStaysUntouched() throws Exception {
        ToolResult jar = signWithKeystore("--format", "jar", "app.txt");

        assertExit(4, jar);
        assertThat(jar.stdout(), containsString("FAILED    jar          app.txt"));
        assertThat(jar.stdout(), containsString("0 signed, 1 failed"));
        assertNoSignature();
    }

    @Test
    public void withJsonAReportIsPrintedEvenWhenTheKeyCannotBeUsed() throws Exception {
        List<String> args = new ArrayList<>(keyWithPin("--pin-env", PIN_VARIABLE));
        args.add(1, "--json");

        ToolResult wrong = run(Map.of(PIN_VARIABLE, WRONG_PIN), args);

        assertExit(3, wrong);
        List<ReportEntry> entries = SignatureReport.parse(wrong.stdout()).entries();
        assertEquals(1, entries.size());
        assertEquals(Failure.KEY_ERROR, entries.get(0).failure());
        assertThat(wrong.stderr(), containsString("Wrong PIN"));
        assertNoPin(wrong, WRONG_PIN, PIN);
        assertNoSignature();
    }

    @Test
    public void aReportThatCannotBeWrittenIsRefusedBeforeAnythingIsSigned() throws Exception {
        ToolResult type = signWithKeystore("--report", "report.txt", "app.txt");
        ToolResult directory = signWithKeystore("--report", "app.txt/report.json", "app.txt");
        Files.createDirectories(work.resolve("report.json"));
        ToolResult isDirectory = signWithKeystore("--report", "report.json", "app.txt");

        assertExit(2, type);
        assertThat(type.stderr(), containsString("given by --report must end in .json or .html"));
        assertExit(2, directory);
        assertThat(directory.stderr(), containsString("given by --report cannot be created: "));
        assertThat(directory.stderr(), containsString("app.txt is not a directory."));
        assertExit(2, isDirectory);
        assertThat(isDirectory.stderr(), containsString("given by --report is a directory"));
        assertNoSignature();
    }

    @Test
    public void aDirectoryAsLibraryIsSaidToBeOne() {
        ToolResult directory = run(Map.of(PIN_VARIABLE, PIN), replace(tokenKey(SoftHsmToken.RSA3072),
                token().library().toString(), token().library().getParent().toString()));

        assertExit(2, directory);
        assertThat(directory.stderr(), containsString(token().library().getParent() + " is a directory: set the "
                + "path of the module file in it"));
        assertNoSignature();
    }

    @Test
    public void anUnreadablePinFileSaysPermissionDenied() throws Exception {
        Path pinFile = Files.writeString(work.resolve("pin.txt"), PIN);
        Files.setPosixFilePermissions(pinFile, PosixFilePermissions.fromString("---------"));
        assumeFalse("root reads every file", Files.isReadable(pinFile));

        ToolResult denied = run(Map.of(), keyWithPin("--pin-file", "pin.txt"));

        assertExit(2, denied);
        assertThat(denied.stderr(), containsString("pin.txt given by --pin-file cannot be read. Permission denied"));
        assertNoSignature();
    }

    @Test
    public void anUnknownSoftHsmTokenWithoutSoftHsmConfHintsAtIt() {
        assumeTrue("the environment is injected only in-process", cli == Cli.IN_PROCESS);
        Map<String, String> env = new HashMap<>();
        env.put(PIN_VARIABLE, PIN);
        env.put("SOFTHSM2_CONF", null);

        ToolResult noToken = run(env, replace(tokenKey(SoftHsmToken.RSA3072), token().tokenLabel(), "release"));

        assertExit(3, noToken);
        assertThat(noToken.stderr(), containsString("No token with --token-label 'release'"));
        assertThat(noToken.stderr(), containsString("SOFTHSM2_CONF is not set, so SoftHSM2 read its default "
                + "configuration and not the one that knows your token: export SOFTHSM2_CONF="));
    }

    @Test
    public void messagesNameTheOptions() throws Exception {
        ToolResult timestamp = signWithKeystore("--tsa", "http://127.0.0.1:9/", "app.txt");

        assertExit(3, timestamp);
        assertThat(timestamp.stdout(), containsString("--timestamp-required is in effect (the default; "
                + "--no-timestamp-required only warns)"));
        assertThat(timestamp.stdout(), not(containsString("profile")));
        assertNoSignature();
    }

    private static List<String> keyWithPin(String option, String value) {
        return List.of("sign", "--pkcs11-library", token().library().toString(), "--token-label",
                token().tokenLabel(), "--key-alias", SoftHsmToken.RSA3072, option, value, "app.txt");
    }

    private static List<String> withDebug(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add(1, "--debug");
        return all;
    }

    /** {@code sign} with the token key options, one value replaced, signing app.txt. */
    private static List<String> replace(List<String> key, String value, String replacement) {
        List<String> args = new ArrayList<>(List.of("sign"));
        key.forEach(k -> args.add(k.equals(value) ? replacement : k));
        args.add("app.txt");
        return args;
    }

    private void assertNoSignature() {
        assertFalse(Files.exists(work.resolve("app.txt.p7s")));
        assertFalse(Files.exists(work.resolve("app.txt.asc")));
    }
}
