package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How time-stamp requests reach a private authority: its TLS CA; the proxy is the command's {@code --proxy}. */
public final class TsaConnectionOptions {

    @Option(names = "--tsa-truststore", paramLabel = "FILE.pem", description = "PEM file with CA certificates "
            + "trusted for the time-stamp authorities' HTTPS, besides Java's (a private TSA's CA).")
    Path tsaTruststore;

    /** {@code settings} with the trusted TLS certificates and {@code proxy} (HOST:PORT or null) applied. */
    TimestampSettings apply(TimestampSettings settings, HsmSign app, String proxy) throws SigningException {
        TimestampSettings applied = settings;
        if (tsaTruststore != null) {
            applied = applied.withTlsTrust(CertificateChains.read(app.resolve(tsaTruststore)));
        }
        if (proxy != null) {
            applied = applied.withProxy(proxy(proxy));
        }
        return applied;
    }

    /** Parses {@code --proxy HOST:PORT} (an http:// prefix is allowed). */
    static ProxySelector proxy(String proxy) throws SigningException {
        URI uri;
        try {
            uri = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getPort() < 1) {
            throw new SigningException(Kind.CONFIGURATION, "--proxy takes HOST:PORT, not " + proxy + ".");
        }
        return ProxySelector.of(new InetSocketAddress(uri.getHost(), uri.getPort()));
    }
}
