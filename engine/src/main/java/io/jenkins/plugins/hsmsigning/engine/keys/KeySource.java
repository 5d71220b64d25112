package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;

/**
 * Where a signing key lives: a PKCS#11 token or a network key service (production) or a PKCS#12 file (development).
 * A key source holds no secret; the PIN, password or service credential is given to {@link #open(Secret)} and kept
 * only as long as the opened key.
 */
public sealed interface KeySource permits Pkcs11KeySource, Pkcs12KeySource, RemoteKeySource {

    /** Logs in and finds the key; the result must be closed. */
    SigningKey open(Secret secret) throws SigningException;

    /** A description for logs and reports, without any secret. */
    String describe();
}
