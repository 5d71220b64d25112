package io.jenkins.plugins.hsmsigning.engine.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository URL reduced to what names the repository: {@code host[:port]/path}. The scheme, user info, a default
 * port, a trailing {@code .git} and trailing slashes are dropped and the host is lower-cased, so that
 * {@code https://bob@GitHub.com/acme/app.git/}, {@code ssh://git@github.com/acme/app} and
 * {@code git@github.com:acme/app.git} are all {@code github.com/acme/app}. The path keeps its case: some servers
 * tell {@code Acme/app} and {@code acme/app} apart, and a pattern must not admit a repository the admin did not mean.
 */
public final class RepositoryUrl {

    /** scp-like syntax of Git: {@code [user@]host:path}, where the path does not start with a slash. */
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/:]+@)?([^@/:\\[\\]]+):(?!//)(.+)");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("http", 80, "https", 443, "ssh", 22,
            "git", 9418, "git+ssh", 22, "ssh+git", 22);

    private RepositoryUrl() {
    }

    /**
     * The normalised form of {@code url}, or null when it names no repository on a host (a local path, a file: URL,
     * or text that is no URL).
     */
    public static String normalise(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.trim();
        String host;
        int port = -1;
        String path;
        Matcher scp = SCP_LIKE.matcher(u);
        if (!u.contains("://") && scp.matches()) {
            host = scp.group(1);
            path = scp.group(2);
        } else {
            URI uri;
            try {
                uri = new URI(u);
            } catch (URISyntaxException e) {
                return null;
            }
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || scheme.equals("file") || uri.getHost() == null) {
                return null;
            }
            host = uri.getHost();
            port = uri.getPort();
            if (port == DEFAULT_PORTS.getOrDefault(scheme, -2)) {
                port = -1;
            }
            path = uri.getPath() == null ? "" : uri.getPath();
        }
        path = path.replaceAll("/{2,}", "/");
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.isEmpty() || host.isEmpty()) {
            return null;
        }
        return host.toLowerCase(Locale.ROOT) + (port >= 0 ? ":" + port : "") + "/" + path;
    }

    /**
     * {@code url} without the user info of a URL ({@code https://user:token@host/...} becomes
     * {@code https://host/...}): a token some admins put there must not reach a log, report or audit record.
     */
    public static String redact(String url) {
        if (url == null || !url.contains("://")) {
            return url;
        }
        int start = url.indexOf("://") + 3;
        int end = url.indexOf('/', start);
        String authority = end < 0 ? url.substring(start) : url.substring(start, end);
        int at = authority.lastIndexOf('@');
        return at < 0 ? url
                : url.substring(0, start) + authority.substring(at + 1) + (end < 0 ? "" : url.substring(end));
    }
}
