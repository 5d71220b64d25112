package io.jenkins.plugins.hsmsigning.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Detached CMS signatures made by {@code openssl cms -sign}, a tool nobody here wrote, with a software key: the
 * inputs of verification tests. The signature goes to {@code FILE.p7s} beside the artifact.
 */
public final class OpensslCms {

    private OpensslCms() {
    }

    /**
     * Signs {@code artifact} with {@code key} and {@code signer}.
     *
     * @param extraCertificates added to the signature's certificates ({@code -certfile})
     * @param options           further openssl options, such as {@code -nocerts} or {@code -outform PEM}
     */
    public static Path sign(Path artifact, PrivateKey key, X509Certificate signer,
            List<X509Certificate> extraCertificates, String... options) throws IOException {
        ExternalTool.require("openssl");
        Path dir = Files.createTempDirectory(artifact.getParent(), "openssl-");
        Path keyFile = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        Path certFile = Files.writeString(dir.resolve("signer.pem"), TestPki.toPem(signer));
        Path out = artifact.resolveSibling(artifact.getFileName() + ".p7s");
        List<String> command = new ArrayList<>(List.of("openssl", "cms", "-sign", "-binary", "-md", "sha256",
                "-in", artifact.toString(), "-signer", certFile.toString(), "-inkey", keyFile.toString(),
                "-out", out.toString()));
        if (!extraCertificates.isEmpty()) {
            Path extra = Files.writeString(dir.resolve("extra.pem"),
                    TestPki.toPem(extraCertificates.toArray(new X509Certificate[0])));
            command.addAll(List.of("-certfile", extra.toString()));
        }
        List<String> more = List.of(options);
        if (!more.contains("-outform")) {
            command.addAll(List.of("-outform", "DER"));
        }
        command.addAll(more);
        ExternalTool.runChecked(command);
        return out;
    }
}
