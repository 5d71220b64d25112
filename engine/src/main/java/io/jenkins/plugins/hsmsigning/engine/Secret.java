package io.jenkins.plugins.hsmsigning.engine;

import java.util.Arrays;

/**
 * A PIN or password held as characters that can be wiped. It never prints itself, so it is safe to pass through
 * code that logs or formats its arguments.
 */
public final class Secret implements AutoCloseable {

    private final char[] value;
    private boolean cleared;

    private Secret(char[] value) {
        this.value = value;
    }

    /** Takes a copy of {@code value}; the caller may wipe its own array afterwards. */
    public static Secret of(char[] value) {
        return new Secret(value.clone());
    }

    /** A copy of the characters; wipe it after use. */
    public synchronized char[] chars() {
        if (cleared) {
            throw new IllegalStateException("this secret was already cleared");
        }
        return value.clone();
    }

    public synchronized boolean isEmpty() {
        return value.length == 0;
    }

    /** Overwrites the characters; the secret cannot be used afterwards. */
    @Override
    public synchronized void close() {
        Arrays.fill(value, '\0');
        cleared = true;
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
