package io.jenkins.plugins.hsmsigning.engine.keys;

import java.security.Provider;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Bouncy Castle as a private instance: the engine never registers a JVM-wide security provider. */
public final class Providers {

    private static final AtomicBoolean PREPARING = new AtomicBoolean();

    private Providers() {
    }

    public static Provider bouncyCastle() {
        return BouncyCastle.INSTANCE;
    }

    /**
     * Sets Bouncy Castle up on another thread, once per JVM. It takes about 0.2 s in a fresh JVM, which a key's first
     * opening would otherwise wait for after the token's start and login; this way the two overlap.
     */
    static void prepareInBackground() {
        if (PREPARING.compareAndSet(false, true)) {
            Thread setup = new Thread(Providers::bouncyCastle, "hsm-signing Bouncy Castle set-up");
            setup.setDaemon(true);
            setup.start();
        }
    }

    /** Made when first needed; the JVM makes a second caller wait for the first. */
    private static final class BouncyCastle {
        static final Provider INSTANCE = new BouncyCastleProvider();
    }
}
