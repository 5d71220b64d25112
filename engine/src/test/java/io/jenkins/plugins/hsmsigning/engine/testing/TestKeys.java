package io.jenkins.plugins.hsmsigning.engine.testing;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs11KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import java.util.List;
import org.junit.rules.ExternalResource;

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

    /**
     * A key opened once for a test class and closed after it: {@code @ClassRule public static final OpenedKey RSA =
     * TestKeys.opened(SoftHsmToken.RSA3072);}. Without SoftHSM2 the class is skipped, as {@link SoftHsmToken#shared}
     * decides.
     */
    public static OpenedKey opened(String alias) {
        return new OpenedKey(alias);
    }

    /** See {@link #opened}. */
    public static final class OpenedKey extends ExternalResource {

        private final String alias;
        private SigningKey key;

        private OpenedKey(String alias) {
            this.alias = alias;
        }

        @Override
        protected void before() throws SigningException {
            key = open(alias);
        }

        @Override
        protected void after() {
            if (key != null) {
                key.close();
            }
        }

        public SigningKey key() {
            return key;
        }
    }
}
