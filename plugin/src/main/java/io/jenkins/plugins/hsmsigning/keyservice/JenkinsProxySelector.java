package io.jenkins.plugins.hsmsigning.keyservice;

import hudson.ProxyConfiguration;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The controller's proxy settings (Manage Jenkins → Plugins → Advanced), read anew for every connection: for key
 * services and time-stamp authorities.
 */
public final class JenkinsProxySelector extends ProxySelector {

    @Override
    public List<Proxy> select(URI uri) {
        ProxyConfiguration configuration = Jenkins.get().proxy;
        return List.of(configuration == null ? Proxy.NO_PROXY : configuration.createProxy(uri.getHost()));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // the key service reports the failure itself, naming the service
    }
}
