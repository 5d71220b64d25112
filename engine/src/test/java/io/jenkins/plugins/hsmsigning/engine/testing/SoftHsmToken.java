package io.jenkins.plugins.hsmsigning.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A real SoftHSM2 token, created once per JVM in the directory named by the system property
 * {@code hsmsigning.test.softhsm.dir}. Keys are generated on the token by {@code pkcs11-tool}; each has a
 * certificate from {@link TestPki#shared()} stored on the token with the same CKA_ID and label (the alias). The CA
 * certificate is not on the token, so every chain read from it is the leaf only.
 *
 * <p>SoftHSM2 counts as installed when {@code softhsm2-util} and {@code pkcs11-tool} are on the {@code PATH} and its
 * library is found (in the Debian locations, or where the environment variable {@code SOFTHSM2_LIB} points); when it
 * is not, {@link #shared()} skips the test, or fails it when the build requires the native tools (see
 * {@link ExternalTool#missing}). A wrong {@code SOFTHSM2_CONF} or a token that cannot be made always fails.
 */
public final class SoftHsmToken {

    /** RSA-3072, valid code-signing certificate. */
    public static final String RSA3072 = "rsa3072";
    /** EC P-256, valid code-signing certificate. */
    public static final String ECP256 = "ecp256";
    /** EC P-384, valid code-signing certificate. */
    public static final String ECP384 = "ecp384";
    /** RSA-2048 whose code-signing certificate expired a year ago. */
    public static final String EXPIRED = "expired";
    /** EC P-256 whose certificate has EKU emailProtection only. */
    public static final String NOCODESIGN = "nocodesign";

    /** The key on the second token, which a test may delete to simulate a token pulled out. */
    public static final String REMOVABLE = "removable";
    private static final String TOKEN_LABEL = "hsmsign-test";
    private static final String REMOVABLE_LABEL = "hsmsign-removable";
    /** The user PIN of both test tokens; {@link #pin()} gives it as a fresh array. */
    public static final String USER_PIN = "123456";
    private static final String SO_PIN = "87654321";
    private static final List<Path> LIBRARY_CANDIDATES = List.of(
            Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"));

    private static SoftHsmToken shared;

    private final Path dir;
    private final Path library;
    private final long slotId;
    private final int slotListIndex;
    private final Map<String, X509Certificate> certificates = new LinkedHashMap<>();

    private SoftHsmToken(Path dir, Path library) throws IOException, GeneralSecurityException {
        this.dir = dir;
        this.library = library;
        recreate(dir);
        Files.writeString(dir.resolve("softhsm2.conf"), "directories.tokendir = " + dir.resolve("tokens") + "\n"
                + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        for (String label : List.of(TOKEN_LABEL, REMOVABLE_LABEL)) {
            ExternalTool.runChecked(List.of("softhsm2-util", "--init-token", "--free", "--label", label,
                    "--so-pin", SO_PIN, "--pin", USER_PIN));
        }
        String slots = ExternalTool.runChecked(List.of("softhsm2-util", "--show-slots")).stdout();
        List<Long> slotIds = new ArrayList<>();
        int index = -1;
        for (String line : slots.split("\n")) {
            if (line.startsWith("Slot ")) {
                slotIds.add(Long.parseLong(line.substring("Slot ".length()).trim()));
            } else if (index < 0 && line.trim().matches("Label:\\s+" + TOKEN_LABEL)) {
                index = slotIds.size() - 1;
            }
        }
        if (index < 0) {
            throw new IllegalStateException("token " + TOKEN_LABEL + " not in softhsm2-util --show-slots:\n" + slots);
        }
        slotListIndex = index;
        slotId = slotIds.get(index);

        Instant now = Instant.now();
        TestPki pki = TestPki.shared();
        addKey(REMOVABLE_LABEL, REMOVABLE, "01", "rsa:2048", key -> pki.issueCodeSigning(key, "HSM Signing Test removable"));
        addKey(RSA3072, "01", "rsa:3072", key -> pki.issueCodeSigning(key, "HSM Signing Test rsa3072"));
        addKey(ECP256, "02", "EC:prime256v1", key -> pki.issueCodeSigning(key, "HSM Signing Test ecp256"));
        addKey(ECP384, "03", "EC:secp384r1", key -> pki.issueCodeSigning(key, "HSM Signing Test ecp384"));
        addKey(EXPIRED, "04", "rsa:2048", key -> pki.issueCodeSigning(key, "HSM Signing Test expired",
                Date.from(now.minus(Duration.ofDays(3 * 365))), Date.from(now.minus(Duration.ofDays(365)))));
        addKey(NOCODESIGN, "05", "EC:prime256v1",
                key -> pki.issueWithoutCodeSigning(key, "HSM Signing Test nocodesign"));
        pki.writeCaPem(caPem());
    }

    /** The token of this JVM, created on first use; skips (or fails) the test when SoftHSM2 is not installed. */
    public static synchronized SoftHsmToken shared() {
        if (shared == null) {
            Path library = requireInstalled();
            String property = System.getProperty("hsmsigning.test.softhsm.dir");
            if (property == null) {
                throw new IllegalStateException(
                        "system property hsmsigning.test.softhsm.dir is not set (Surefire sets it)");
            }
            Path dir = Path.of(property).toAbsolutePath();
            String expectedConf = dir.resolve("softhsm2.conf").toString();
            String conf = System.getenv("SOFTHSM2_CONF");
            if (!expectedConf.equals(conf)) {
                throw new IllegalStateException("environment variable SOFTHSM2_CONF is " + conf + " but must be "
                        + expectedConf + "; SoftHSM2 reads it from the process environment only (Surefire sets it)");
            }
            try {
                shared = new SoftHsmToken(dir, library);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the SoftHSM2 test token in " + dir, e);
            }
        }
        return shared;
    }

    /**
     * Skips the calling test (or fails it, see {@link ExternalTool#missing}) unless SoftHSM2 and OpenSC's
     * {@code pkcs11-tool} are installed, without creating the token; returns the SoftHSM2 library.
     */
    public static Path requireInstalled() {
        ExternalTool.require("softhsm2-util");
        ExternalTool.require("pkcs11-tool");
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("SOFTHSM2_LIB");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.addAll(LIBRARY_CANDIDATES);
        Optional<Path> library = candidates.stream().filter(Files::isRegularFile).findFirst();
        if (library.isEmpty()) {
            ExternalTool.missing("the SoftHSM2 library libsofthsm2.so is not installed (looked for " + candidates
                    + "; SOFTHSM2_LIB names another)");
        }
        return library.orElseThrow();
    }

    public Path dir() {
        return dir;
    }

    /** The SoftHSM2 PKCS#11 module. */
    public Path library() {
        return library;
    }

    public String tokenLabel() {
        return TOKEN_LABEL;
    }

    /** The user PIN, a fresh copy each call. */
    public char[] pin() {
        return USER_PIN.toCharArray();
    }

    /** The security officer PIN, a fresh copy each call. */
    public char[] soPin() {
        return SO_PIN.toCharArray();
    }

    /** The slot ID SoftHSM assigned when the token was initialised. */
    public long slotId() {
        return slotId;
    }

    /** The token's position in C_GetSlotList order (SunPKCS11 {@code slotListIndex}). */
    public int slotListIndex() {
        return slotListIndex;
    }

    /** The certificate stored on the token under {@code alias}. */
    public X509Certificate certificate(String alias) {
        X509Certificate certificate = certificates.get(alias);
        if (certificate == null) {
            throw new IllegalArgumentException(
                    "no key " + alias + " on the test token; known: " + certificates.keySet());
        }
        return certificate;
    }

    public PublicKey publicKey(String alias) {
        return certificate(alias).getPublicKey();
    }

    /** The test CA certificate as PEM. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** Leaf certificate of {@code alias} followed by the CA certificate, as PEM. */
    public Path chainPem(String alias) {
        return dir.resolve(alias + "-chain.pem");
    }

    /** The label of the second token, which holds only the {@link #REMOVABLE} key. */
    public String removableTokenLabel() {
        return REMOVABLE_LABEL;
    }

    /** Deletes the second token, as if it were pulled out of the machine; it stays gone for this JVM. */
    public void removeRemovableToken() {
        ExternalTool.runChecked(List.of("softhsm2-util", "--delete-token", "--token", REMOVABLE_LABEL));
    }

    /** Inline SunPKCS11 configuration for {@code Security.getProvider("SunPKCS11").configure(..)}. */
    public String sunPkcs11Config() {
        return "--name=" + TOKEN_LABEL + "\nlibrary=" + library + "\nslot=" + slotId;
    }

    private void addKey(String alias, String id, String keyType, Function<PublicKey, X509Certificate> issuer)
            throws IOException, GeneralSecurityException {
        addKey(TOKEN_LABEL, alias, id, keyType, issuer);
    }

    private void addKey(String label, String alias, String id, String keyType,
            Function<PublicKey, X509Certificate> issuer) throws IOException, GeneralSecurityException {
        pkcs11Tool(label, "--keypairgen", "--key-type", keyType, "--id", id, "--label", alias, "--usage-sign");
        X509Certificate certificate = issuer.apply(readPublicKey(label, alias, id, keyType));
        Path certificateFile = dir.resolve(alias + ".cert.der");
        Files.write(certificateFile, certificate.getEncoded());
        pkcs11Tool(label, "--write-object", certificateFile.toString(), "--type", "cert", "--id", id, "--label", alias);
        Files.writeString(chainPem(alias), TestPki.toPem(certificate, TestPki.shared().caCertificate()),
                StandardCharsets.US_ASCII);
        certificates.put(alias, certificate);
    }

    private PublicKey readPublicKey(String label, String alias, String id, String keyType)
            throws IOException, GeneralSecurityException {
        if (keyType.startsWith("rsa")) {
            Path file = dir.resolve(alias + ".pub.der");
            pkcs11Tool(label, "--read-object", "--type", "pubkey", "--id", id, "--output-file", file.toString());
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Files.readAllBytes(file)));
        }
        // OpenSC 0.23 --read-object fails for P-384 ("cannot create EVP_PKEY"), so build the SubjectPublicKeyInfo
        // from the EC_PARAMS and EC_POINT attributes that --list-objects prints in hex.
        String objects = pkcs11Tool(label, "--list-objects", "--type", "pubkey");
        for (String object : objects.split("(?=Public Key Object)")) {
            if (Pattern.compile("^\\s*ID:\\s+" + id + "\\s*$", Pattern.MULTILINE).matcher(object).find()) {
                AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        ASN1Primitive.fromByteArray(hexAttribute(object, "EC_PARAMS")));
                byte[] point = ASN1OctetString.getInstance(hexAttribute(object, "EC_POINT")).getOctets();
                return KeyFactory.getInstance("EC").generatePublic(
                        new X509EncodedKeySpec(new SubjectPublicKeyInfo(algorithm, point).getEncoded()));
            }
        }
        throw new IllegalStateException("no public key with ID " + id + " in pkcs11-tool --list-objects:\n" + objects);
    }

    private static byte[] hexAttribute(String object, String attribute) {
        Matcher matcher = Pattern.compile(attribute + ":\\s+(\\p{XDigit}+)").matcher(object);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + attribute + " in pkcs11-tool output:\n" + object);
        }
        return HexFormat.of().parseHex(matcher.group(1));
    }

    private String pkcs11Tool(String label, String... arguments) {
        List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", library.toString(),
                "--token-label", label, "--login", "--pin", USER_PIN));
        command.addAll(List.of(arguments));
        return ExternalTool.runChecked(command).stdout();
    }

    private static void recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir.resolve("tokens"));
    }
}
