package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/** A software signing key issued by the shared test CA: what these tests sign with (no token needed). */
final class DevKey {

    final X509Certificate certificate;
    private final byte[] p12;

    private DevKey(String name) {
        KeyPair pair = TestPki.generateEc("secp256r1");
        certificate = TestPki.shared().issueCodeSigning(pair.getPublic(), name);
        p12 = TestPki.shared().pkcs12(pair, new X509Certificate[] {certificate}, "dev", "pw".toCharArray());
    }

    static DevKey create(String name) {
        return new DevKey(name);
    }

    SigningKey open() throws SigningException {
        try (Secret pw = Secret.of("pw".toCharArray())) {
            return Pkcs12KeySource.of(p12, "dev.p12").certificateChain(List.of(TestPki.shared().caCertificate()))
                    .open(pw);
        }
    }
}
