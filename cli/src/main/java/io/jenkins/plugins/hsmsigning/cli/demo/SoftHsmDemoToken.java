package io.jenkins.plugins.hsmsigning.cli.demo;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throwaway SoftHSM2 token in the demo directory, made with the same tools an administrator would use
 * ({@code softhsm2-util}, {@code pkcs11-tool}): an RSA-3072 key generated on the token, certified by the demo CA,
 * the certificate stored beside it. SoftHSM2 finds the token through {@code SOFTHSM2_CONF}, which must be in this
 * JVM's environment before the token is opened.
 */
public final class SoftHsmDemoToken {

    public static final String TOKEN_LABEL = "hsmsign-demo";
    private static final List<Path> LIBRARIES = List.of(
            Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/local/lib/softhsm/libsofthsm2.so"),
            Path.of("/opt/homebrew/lib/softhsm/libsofthsm2.so"));

    private static final SecureRandom RANDOM = new SecureRandom();

    private SoftHsmDemoToken() {
    }

    /** The directory of the demo token's configuration and objects. */
    private static Path home(Path dir) {
        return dir.resolve("softhsm");
    }

    /** The SoftHSM2 module when SoftHSM2 and its tools are installed; empty means the demo uses a PKCS#12 key. */
    public static Optional<Path> library() {
        if (!onPath("softhsm2-util") || !onPath("pkcs11-tool")) {
            return Optional.empty();
        }
        return LIBRARIES.stream().filter(Files::isRegularFile).findFirst();
    }

    public static Path config(Path dir) {
        return home(dir).resolve("softhsm2.conf");
    }

    /** Whether this JVM was started with {@code SOFTHSM2_CONF} pointing at the token of {@code dir}. */
    public static boolean configuredFor(Path dir) {
        return config(dir).toString().equals(System.getenv("SOFTHSM2_CONF"));
    }

    /** Creates the token afresh (an earlier demo's token in {@code dir} is deleted). */
    public static DemoKey create(Path dir, Path library, DemoCa ca, char[] pin)
            throws SigningException, IOException, GeneralSecurityException {
        Path home = home(dir);
        deleteRecursively(home);
        Files.createDirectories(home.resolve("tokens"));
        Files.writeString(config(dir), "directories.tokendir = " + home.resolve("tokens") + "\n"
                + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        String soPin = String.valueOf(10_000_000 + RANDOM.nextInt(90_000_000));
        run("softhsm2-util --init-token", List.of("softhsm2-util", "--init-token", "--free", "--label",
                TOKEN_LABEL, "--so-pin", soPin, "--pin", new String(pin)));
        pkcs11Tool(library, pin, "--keypairgen", "--key-type", "rsa:3072", "--id", "01", "--label", DemoKey.ALIAS,
                "--usage-sign");
        Path publicKeyFile = home.resolve("demo-signer.pub.der");
        pkcs11Tool(library, pin, "--read-object", "--type", "pubkey", "--id", "01", "--output-file",
                publicKeyFile.toString());
        PublicKey publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicKeyFile)));
        X509Certificate certificate = ca.issueCodeSigning(publicKey, DemoKey.SIGNER_NAME);
        Path certificateFile = home.resolve("demo-signer.cert.der");
        Files.write(certificateFile, certificate.getEncoded());
        pkcs11Tool(library, pin, "--write-object", certificateFile.toString(), "--type", "cert", "--id", "01",
                "--label", DemoKey.ALIAS);
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, DemoCa.pem(certificate, ca.certificate()), StandardCharsets.US_ASCII);
        return new DemoKey(Pkcs11KeySource.library(library).tokenLabel(TOKEN_LABEL).keyAlias(DemoKey.ALIAS)
                .certificateChain(List.of(certificate, ca.certificate())),
                "an RSA-3072 key generated on the SoftHSM2 token '" + TOKEN_LABEL + "'",
                "SOFTHSM2_CONF=" + config(dir) + " ",
                List.of("--pkcs11-library", library.toString(), "--token-label", TOKEN_LABEL, "--key-alias",
                        DemoKey.ALIAS, "--cert-chain", chain.toString()));
    }

    private static void pkcs11Tool(Path library, char[] pin, String... arguments) throws SigningException {
        List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", library.toString(),
                "--token-label", TOKEN_LABEL, "--login", "--pin", new String(pin)));
        command.addAll(List.of(arguments));
        run("pkcs11-tool " + arguments[0], command);
    }

    /** The tool's output is shown only when it fails, and the command line never (it holds the demo PIN). */
    private static void run(String what, List<String> command) throws SigningException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new SigningException(Kind.KEY, "Setting up the demo token failed: " + what + " said: "
                        + output);
            }
        } catch (IOException e) {
            throw new SigningException(Kind.KEY, "Setting up the demo token failed: " + what + " cannot be run ("
                    + e.getMessage() + ").", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException(Kind.KEY, "Setting up the demo token was interrupted during " + what + ".", e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
