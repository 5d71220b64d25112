package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;

/**
 * Where a signing key lives: a PKCS#11 token (production) or a PKCS#12 file (development). A key source holds no
 * secret; the PIN or password is given to {@link #open(Secret)} and kept only as long as the opened key.
 */
public sealed interface KeySource permits Pkcs11KeySource, Pkcs12KeySource {

    /** Logs in and finds the key; the result must be closed. */
    SigningKey open(Secret secret) throws SigningException;

    /** A description for logs and reports, without any secret. */
    String describe();
}
