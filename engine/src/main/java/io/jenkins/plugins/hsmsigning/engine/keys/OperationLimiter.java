package io.jenkins.plugins.hsmsigning.engine.keys;

/**
 * Caps the operations running at once on one token: HSMs limit their sessions, and every concurrent build shares the
 * token. The cap only ever goes down, to the smallest any profile on the token asked for.
 */
final class OperationLimiter {

    private int limit;
    private int running;
    private int peak;

    OperationLimiter(int limit) {
        this.limit = Math.max(1, limit);
    }

    synchronized void lowerLimit(int requested) {
        limit = Math.max(1, Math.min(limit, requested));
    }

    synchronized void acquire() throws InterruptedException {
        while (running >= limit) {
            wait();
        }
        running++;
        peak = Math.max(peak, running);
    }

    synchronized void release() {
        running--;
        notifyAll();
    }

    synchronized int limit() {
        return limit;
    }

    /** The most operations that ever ran at once. */
    synchronized int peak() {
        return peak;
    }
}
