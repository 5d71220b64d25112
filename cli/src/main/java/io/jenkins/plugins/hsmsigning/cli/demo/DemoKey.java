package io.jenkins.plugins.hsmsigning.cli.demo;

import io.jenkins.plugins.hsmsigning.engine.keys.KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The demo's throwaway key: where it lives, and the {@code hsmsign} options (plus environment, for SoftHSM2) that
 * reach it again, so that the demo can print commands a person can run afterwards.
 *
 * @param environment an environment assignment to put before the command, or empty
 */
public record DemoKey(KeySource source, String description, String environment, List<String> options) {

    /** The alias of the demo key, on the token and in the PKCS#12 file alike. */
    public static final String ALIAS = "demo-signer";
    static final String SIGNER_NAME = "hsmsign demo signer";

    /** The fallback when SoftHSM2 is not installed: a software RSA-3072 key in {@code demo-key.p12}. */
    public static DemoKey pkcs12(Path dir, DemoCa ca, char[] password) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = ca.issueCodeSigning(keyPair.getPublic(), SIGNER_NAME);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, keyPair.getPrivate(), password,
                new X509Certificate[] {certificate, ca.certificate()});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, password);
        Path file = dir.resolve("demo-key.p12");
        Files.write(file, bytes.toByteArray());
        return new DemoKey(Pkcs12KeySource.of(bytes.toByteArray(), file.toString()).keyAlias(ALIAS),
                "a software RSA-3072 key in " + file.getFileName() + " (SoftHSM2 is not installed)", "",
                List.of("--keystore", file.toString(), "--key-alias", ALIAS));
    }
}
