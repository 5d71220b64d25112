package io.jenkins.plugins.hsmsigning.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GnuPG in a throwaway home directory, to make OpenPGP inputs for verification tests with a tool nobody here wrote:
 * keys without a passphrase, signatures at a faked time (so keys can expire and be revoked between two signatures),
 * revocations through gpg's own dialogues answered from a command file. {@link #close} stops the agent it started.
 */
public final class Gpg implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final Path home;
    private int files;

    private Gpg(Path home) {
        this.home = home;
    }

    /** A new, empty home in {@code dir} (which must have a short path: the agent's socket lives there). */
    public static Gpg in(Path dir) throws IOException {
        ExternalTool.require("gpg");
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        return new Gpg(home);
    }

    /** Makes a primary key ({@code ed25519}, {@code nistp256}, {@code rsa4096}...) and returns its fingerprint. */
    public String generate(String userId, String algorithm, String usage, Instant at) {
        run(at, "--quick-gen-key", userId, algorithm, usage, "never");
        return fingerprints(userId).get(0);
    }

    /** Adds a subkey and returns its fingerprint. */
    public String addSubkey(String primary, String algorithm, String usage, Instant at) {
        List<String> before = fingerprints(primary);
        run(at, "--quick-add-key", primary, algorithm, usage, "never");
        List<String> after = new ArrayList<>(fingerprints(primary));
        after.removeAll(before);
        return after.get(0);
    }

    /** Primary key first, then the subkeys. */
    public List<String> fingerprints(String key) {
        String listing = checked(run(null, "--with-colons", "--list-keys", key)).stdout();
        List<String> fingerprints = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.startsWith("fpr:")) {
                fingerprints.add(line.split(":")[9]);
            }
        }
        return fingerprints;
    }

    /** An armored detached signature of {@code file} by each of {@code signers} (fingerprints), made at {@code at}. */
    public Path detachSign(Path file, Path signature, Instant at, List<String> options, String... signers) {
        List<String> args = new ArrayList<>();
        for (String signer : signers) {
            args.addAll(List.of("--local-user", signer + "!"));
        }
        args.addAll(options);
        args.addAll(List.of("--armor", "--output", signature.toString(), "--detach-sign", file.toString()));
        checked(run(at, args.toArray(String[]::new)));
        return signature;
    }

    /** A clear-signed copy of {@code file}. */
    public Path clearSign(Path file, Path output, Instant at, String signer) {
        checked(run(at, "--local-user", signer + "!", "--output", output.toString(), "--clearsign",
                file.toString()));
        return output;
    }

    /** The armored public key (primary, subkeys, their signatures, revocations). */
    public byte[] export(String fingerprint) {
        return checked(run(null, "--armor", "--export", fingerprint)).stdout().getBytes(StandardCharsets.US_ASCII);
    }

    /** Imports the revocation certificate gpg stored when it made the key (reason: none given). */
    public void importGeneratedRevocation(String fingerprint) throws IOException {
        Path stored = home.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev");
        String certificate = Files.readString(stored).replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----",
                "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        importKey(Files.writeString(home.resolve("generated-" + (files++) + ".rev"), certificate));
    }

    /**
     * Revokes the primary key at {@code at} through {@code --gen-revoke}; {@code reasonChoice} is gpg's menu entry
     * (0 no reason, 1 compromised, 2 superseded, 3 no longer used).
     */
    public void revoke(String fingerprint, int reasonChoice, Instant at) throws IOException {
        Path certificate = home.resolve("revocation-" + (files++) + ".rev");
        Path answers = commands("y", String.valueOf(reasonChoice), "revoked by a test", "", "y");
        checked(dialogue(at, "--command-file", answers.toString(), "--armor", "--output", certificate.toString(),
                "--gen-revoke", fingerprint));
        importKey(certificate);
    }

    /** Revokes subkey number {@code index} (1 is the first) of {@code primary} through {@code --edit-key}. */
    public void revokeSubkey(String primary, int index, int reasonChoice, Instant at) throws IOException {
        Path answers = commands("key " + index, "revkey", "y", String.valueOf(reasonChoice), "", "y", "save");
        checked(dialogue(at, "--command-file", answers.toString(), "--edit-key", primary));
    }

    /** Sets the primary key's expiry ({@code yyyy-mm-dd}) with a self-signature made at {@code at}. */
    public void setExpiry(String fingerprint, String date, Instant at) {
        checked(run(at, "--quick-set-expire", fingerprint, date));
    }

    /** Sets a subkey's expiry ({@code yyyy-mm-dd}) with a new binding signature made at {@code at}. */
    public void setSubkeyExpiry(String primary, String subkey, String date, Instant at) {
        checked(run(at, "--quick-set-expire", primary, date, subkey));
    }

    public void importKey(Path file) {
        checked(run(null, "--import", file.toString()));
    }

    /** {@code gpg --verify}, trusting every key in this home. */
    public ToolResult verify(Path signature, Path file) {
        return run(null, "--trust-model", "always", "--verify", signature.toString(), file.toString());
    }

    public ToolResult run(Instant at, String... args) {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty",
                "--yes", "--pinentry-mode", "loopback", "--passphrase", ""));
        addTime(command, at);
        command.addAll(List.of(args));
        return ExternalTool.run(command, Map.of(), null, TIMEOUT);
    }

    /** gpg refuses its dialogues in batch mode; the answers come from a command file instead. */
    private ToolResult dialogue(Instant at, String... args) {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--no-tty",
                "--pinentry-mode", "loopback", "--passphrase", "", "--status-fd", "2"));
        addTime(command, at);
        command.addAll(List.of(args));
        return ExternalTool.run(command, Map.of(), null, TIMEOUT);
    }

    private static void addTime(List<String> command, Instant at) {
        if (at != null) {
            command.addAll(List.of("--faked-system-time", at.getEpochSecond() + "!"));
        }
    }

    private Path commands(String... lines) throws IOException {
        return Files.writeString(home.resolve("commands-" + (files++)), String.join("\n", lines) + "\n");
    }

    private static ToolResult checked(ToolResult result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException("gpg failed with exit code " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result;
    }

    @Override
    public void close() {
        if (ExternalTool.which("gpgconf").isEmpty()) {
            return;
        }
        ExternalTool.run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"), Map.of(), null,
                Duration.ofSeconds(30));
    }
}
