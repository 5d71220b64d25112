package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Signs test inputs with osslsigncode, as a vendor would, with a software key issued by the shared test CA. */
public final class Osslsigncode {

    private static KeyPair vendorKey;
    private static X509Certificate vendorCertificate;

    private Osslsigncode() {
    }

    /** The vendor's certificate subject, as the engine's messages name it. */
    static synchronized X509Certificate vendor() {
        if (vendorKey == null) {
            vendorKey = TestPki.generateRsa(2048);
            vendorCertificate = TestPki.shared().issueCodeSigning(vendorKey.getPublic(), "Vendor");
        }
        return vendorCertificate;
    }

    /** {@code osslsigncode sign -h <hash> [options] -in file -out file}, in place. */
    public static void sign(Path file, String hash, String... options) {
        ExternalTool.require("osslsigncode");
        vendor();
        try {
            Path dir = file.resolveSibling("osslsigncode-vendor");
            Files.createDirectories(dir);
            Path cert = Files.writeString(dir.resolve("vendor.pem"), TestPki.toPem(vendorCertificate));
            Path key = Files.writeString(dir.resolve("vendor.key"), "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(vendorKey.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
            Path out = dir.resolve("signed-" + file.getFileName());
            Files.deleteIfExists(out);
            List<String> command = new ArrayList<>(List.of("osslsigncode", "sign", "-certs", cert.toString(), "-key",
                    key.toString(), "-h", hash));
            command.addAll(List.of(options));
            command.addAll(List.of("-in", file.toString(), "-out", out.toString()));
            ExternalTool.runChecked(command);
            Files.move(out, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
