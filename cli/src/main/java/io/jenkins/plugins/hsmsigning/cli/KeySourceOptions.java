package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.keys.KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.keys.TokenObjects;
import io.jenkins.plugins.hsmsigning.engine.profile.ProfileSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The key options of {@code sign} and {@code export-pgp-key}, named like the plugin's profile fields. The PIN comes
 * only from an environment variable or a file, so that it never shows in a process list or a shell history.
 */
public final class KeySourceOptions {

    @Option(names = "--pkcs11-library", paramLabel = "PATH",
            description = "PKCS#11 module of the token, e.g. /usr/lib/softhsm/libsofthsm2.so.")
    Path pkcs11Library;

    @Option(names = "--token-label", paramLabel = "LABEL", description = "Chooses the token by its label.")
    String tokenLabel;

    @Option(names = "--slot", paramLabel = "N", description = "Chooses the token by slot id.")
    Long slot;

    @Option(names = "--slot-list-index", paramLabel = "N",
            description = "Chooses the token by its position in the library's slot list.")
    Integer slotListIndex;

    @Option(names = "--keystore", paramLabel = "FILE.p12",
            description = "A PKCS#12 file instead of a token (development keys).")
    Path keystore;

    @Option(names = "--key-alias", paramLabel = "ALIAS",
            description = "The key's alias (its certificate's label on a token).")
    String keyAlias;

    @Option(names = "--cert-chain", paramLabel = "FILE",
            description = "PEM file with the issuer certificates, for a token that holds only the leaf.")
    Path certChain;

    @Option(names = "--max-concurrent-operations", paramLabel = "N",
            description = "At most N signing operations on the token at once (default: "
                    + Pkcs11KeySource.DEFAULT_MAX_CONCURRENT_OPERATIONS + "); N artifacts are signed at once, or one "
                    + "per processor when there are more processors. Raise it for a network HSM.")
    Integer maxConcurrentOperations;

    @Option(names = {"--pin-env", "--secret-env"}, paramLabel = "VAR",
            description = "Name of the environment variable holding the PIN, keystore password or key service "
                    + "secret.")
    String pinEnv;

    @Option(names = {"--pin-file", "--secret-file"}, paramLabel = "FILE",
            description = "File holding the PIN, keystore password or key service secret (one trailing newline is "
                    + "ignored).")
    Path pinFile;

    @Mixin
    KeyServiceOptions service = new KeyServiceOptions();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Artifacts to sign at once: every processor for hashing, and as many as the token takes operations at once, so
     * that a network HSM's latency is spent in parallel.
     */
    int signingThreads() {
        int defaultOperations = service.chosen() ? RemoteKeySource.DEFAULT_MAX_CONCURRENT_OPERATIONS
                : Pkcs11KeySource.DEFAULT_MAX_CONCURRENT_OPERATIONS;
        int tokenOperations = keystore != null ? 1 : maxConcurrentOperations != null ? maxConcurrentOperations
                : defaultOperations;
        return Math.max(Runtime.getRuntime().availableProcessors(), ProfileSettings.signingThreads(tokenOperations));
    }

    /** Logs in and finds the key; the caller closes it. */
    SigningKey open(HsmSign app) throws SigningException {
        KeySource source = keySource(app);
        try (Secret secret = secret(app)) {
            return source.open(secret);
        }
    }

    /** Logs in to the token for onboarding (list-keys, csr, import-certificate); the caller closes it. */
    TokenObjects openToken(HsmSign app) throws SigningException {
        if (pkcs11Library == null || keystore != null || service.chosen()) {
            throw usage("This command works on a PKCS#11 token: give --pkcs11-library and one of --token-label, "
                    + "--slot and --slot-list-index.");
        }
        try (Secret secret = secret(app)) {
            return TokenObjects.open(app.resolve(pkcs11Library), tokenLabel, slot, slotListIndex, secret);
        }
    }

    /** The certificates of the {@code --cert-chain} file, none without it. */
    List<X509Certificate> chainFileCertificates(HsmSign app) throws SigningException {
        return certChain == null ? List.of() : CertificateChains.read(app.resolve(certChain));
    }

    private KeySource keySource(HsmSign app) throws SigningException {
        List<X509Certificate> chain = chainFileCertificates(app);
        if (service.chosen()) {
            if (pkcs11Library != null || keystore != null) {
                throw usage("Choose the key with one of --pkcs11-library, --keystore or a key service option.");
            }
            RemoteKeySource source = RemoteKeySource.of(service.service(app)).certificateChain(chain);
            return maxConcurrentOperations == null ? source : source.maxConcurrentOperations(maxConcurrentOperations);
        }
        if ((pkcs11Library == null) == (keystore == null)) {
            throw usage("Choose the key with either --pkcs11-library (a token), --keystore (a PKCS#12 file) or a key "
                    + "service (--azure-key-vault, --artifact-signing-endpoint, --aws-kms-key, --google-kms-key, "
                    + "--vault-address, --digicert-certificate, --esigner-credential).");
        }
        if (keystore == null) {
            Pkcs11KeySource source = Pkcs11KeySource.library(app.resolve(pkcs11Library)).tokenLabel(tokenLabel)
                    .slotId(slot).slotListIndex(slotListIndex).keyAlias(keyAlias).certificateChain(chain);
            return maxConcurrentOperations == null ? source : source.maxConcurrentOperations(maxConcurrentOperations);
        }
        if (tokenLabel != null || slot != null || slotListIndex != null || maxConcurrentOperations != null) {
            throw usage("--token-label, --slot, --slot-list-index and --max-concurrent-operations apply to "
                    + "--pkcs11-library only, not to --keystore.");
        }
        Path file = app.resolve(keystore);
        try {
            return Pkcs12KeySource.of(Files.readAllBytes(file), file.toString()).keyAlias(keyAlias)
                    .certificateChain(chain);
        } catch (IOException e) {
            throw new SigningException(Kind.CONFIGURATION, "The keystore " + file + " cannot be read.", e);
        }
    }

    private Secret secret(HsmSign app) throws SigningException {
        if (service.chosen() && pinEnv == null && pinFile == null) {
            return Secret.of(new char[0]);
        }
        if ((pinEnv == null) == (pinFile == null)) {
            throw usage("Give the PIN through exactly one of --pin-env VAR and --pin-file FILE.");
        }
        if (pinEnv != null) {
            return fromEnvironment(app);
        }
        Path file = app.resolve(pinFile);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SigningException(Kind.CONFIGURATION, "The PIN file " + file + " given by --pin-file cannot be "
                    + "read.", e);
        }
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        int length = decoded.limit();
        if (length > 0 && decoded.get(length - 1) == '\n') {
            length--;
            if (length > 0 && decoded.get(length - 1) == '\r') {
                length--;
            }
        }
        char[] chars = Arrays.copyOfRange(decoded.array(), decoded.arrayOffset(), decoded.arrayOffset() + length);
        Arrays.fill(decoded.array(), '\0');
        try {
            return Secret.of(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Names the variable only when it looks like one: someone may have typed the PIN itself after --pin-env. */
    private Secret fromEnvironment(HsmSign app) throws SigningException {
        if (!pinEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw usage("--pin-env takes the name of an environment variable, not the PIN itself.");
        }
        return KeyServiceOptions.environmentSecret(app, pinEnv, "--pin-env");
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
