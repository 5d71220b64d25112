package io.jenkins.plugins.hsmsigning.engine.keys;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Bouncy Castle as a private instance: the engine never registers a JVM-wide security provider. */
public final class Providers {

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private Providers() {
    }

    public static Provider bouncyCastle() {
        return BOUNCY_CASTLE;
    }
}
