package io.jenkins.plugins.hsmsigning.engine.testing;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.util.List;

/** Opens keys of the shared SoftHSM2 token the way a profile would: by token label, with the CA as chain. */
public final class TestKeys {

    private TestKeys() {
    }

    public static Pkcs11KeySource source(String alias) {
        SoftHsmToken token = SoftHsmToken.shared();
        return Pkcs11KeySource.library(token.library()).tokenLabel(token.tokenLabel()).keyAlias(alias)
                .certificateChain(List.of(TestPki.shared().caCertificate()));
    }

    public static SigningKey open(String alias) throws SigningException {
        try (Secret pin = Secret.of(SoftHsmToken.shared().pin())) {
            return source(alias).open(pin);
        }
    }
}
