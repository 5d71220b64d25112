package io.jenkins.plugins.hsmsigning.engine.authenticode;

import static org.junit.Assert.assertArrayEquals;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import net.jsign.AuthenticodeSigner;
import net.jsign.Signable;
import net.jsign.pe.PEFile;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The engine builds Authenticode signatures itself (without jsign's redundant check of each one), so it must build
 * exactly what jsign's {@code AuthenticodeSigner} builds: PKCS#1 v1.5 signatures are deterministic and the signed
 * attributes carry no signing time, so the two encodings are compared byte for byte, for jsign's own digest of the
 * file and for the one computed while copying it ({@link PeImageCopy}), with and without a program name and URL.
 */
public class AuthenticodeSignatureTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @ClassRule
    public static final TestKeys.OpenedKey RSA = TestKeys.opened(SoftHsmToken.RSA3072);

    @Test
    public void theSignatureIsJsignsByteForByte() throws Exception {
        Path file = AuthenticodeSamples.PE.copyTo(tmp.getRoot().toPath());
        int copies = 0;
        for (DigestAlgorithm digest : DigestAlgorithm.values()) {
            for (String[] program : new String[][] {{null, null}, {"Hello app", "https://example.invalid/hello"}}) {
                net.jsign.DigestAlgorithm jsignDigest = AuthenticodeFormat.jsignDigest(digest);
                String algorithm = RSA.key().algorithm(digest, false).jcaName();
                JsignsOwn jsign = new JsignsOwn(RSA.key().chain().toArray(new Certificate[0]), RSA.key().jcaKey());
                jsign.withSignatureAlgorithm(algorithm, RSA.key().jcaProvider()).withDigestAlgorithm(jsignDigest)
                        .withProgramName(program[0]).withProgramURL(program[1]).withTimestamping(false);
                AuthenticodeSignature engine = new AuthenticodeSignature(RSA.key(), algorithm, jsignDigest, program[0],
                        program[1], null);
                Path copy = Files.createFile(tmp.getRoot().toPath().resolve("copy-" + copies++ + ".exe"));
                PeImageCopy.Digests copied = PeImageCopy.copy(file, copy, digest);
                try (PEFile pe = new PEFile(copy.toFile())) {
                    byte[] expected = jsign.signatureFor(pe).getEncoded();
                    assertArrayEquals(digest + " " + program[0], expected, engine.of(pe, null).getEncoded());
                    assertArrayEquals(digest + " " + program[0], expected, engine.of(pe,
                            AuthenticodeSignature.peContent(jsignDigest, copied.imageDigest())).getEncoded());
                }
            }
        }
    }

    /** jsign's signer, asked for the signature only. */
    private static final class JsignsOwn extends AuthenticodeSigner {

        JsignsOwn(Certificate[] chain, PrivateKey key) {
            super(chain, key);
        }

        CMSSignedData signatureFor(Signable signable) throws Exception {
            return createSignedData(signable);
        }
    }
}
