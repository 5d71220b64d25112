package io.jenkins.plugins.hsmsigning.engine.timestamp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why asking one time-stamp authority failed, as a kind: what a build's log and report may say about a host. What
 * the host sent (status line, headers, body, its error text) is never repeated.
 */
public enum TimestampFailure {
    UNREACHABLE("no connection could be made"),
    TIMEOUT("no answer within the timeout"),
    TLS("the TLS connection failed"),
    REDIRECT("it answered with a redirect, which is not followed"),
    HTTP_ERROR("it answered with an HTTP error"),
    TOO_LARGE("its answer is too large"),
    NOT_A_TIMESTAMP_RESPONSE("its answer is not an RFC 3161 time-stamp response"),
    REFUSED("it refused to issue a time-stamp"),
    WRONG_ANSWER("its time-stamp does not answer this request (imprint or nonce differ)"),
    BAD_TOKEN("its time-stamp token's signature does not verify"),
    INTERRUPTED("interrupted"),
    OTHER("the request failed");

    private final String description;

    TimestampFailure(String description) {
        this.description = description;
    }

    public String describe() {
        return description;
    }

    /** The kind of an exception a request ended with. */
    static TimestampFailure of(Exception e) {
        if (e instanceof Failed f) {
            return f.kind;
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return TIMEOUT;
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException
                || e.getCause() instanceof ConnectException || e.getCause() instanceof UnknownHostException) {
            return UNREACHABLE;
        }
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return TLS;
        }
        return OTHER;
    }

    /** A failure of a known kind, thrown inside the client. */
    static final class Failed extends IOException {

        private static final long serialVersionUID = 1L;

        private final TimestampFailure kind;

        Failed(TimestampFailure kind) {
            super(kind.describe());
            this.kind = kind;
        }
    }
}
