package io.jenkins.plugins.hsmsigning.engine.timestamp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.policy.RuleCheck;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which time-stamp authorities a build may ask the controller to contact: those its profile lists, and any on a host
 * of the administrator's allow-list. Without this, a step's {@code tsaUrls} would make the controller send requests
 * anywhere. An entry is a host ({@code timestamp.example.com}), a host with a port
 * ({@code tsa.example.com:8080}) or every host under a domain ({@code *.example.com}); a host without a port allows
 * only the default ports of http and https.
 */
public record TsaAllowList(List<String> hosts) {

    private static final Pattern ENTRY = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?"
            + "(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");

    public TsaAllowList {
        hosts = List.copyOf(hosts);
    }

    public static TsaAllowList none() {
        return new TsaAllowList(List.of());
    }

    /** Entries separated by white space or commas; {@code setting} names the field in messages. */
    public static TsaAllowList parse(String text, String setting) throws SigningException {
        List<String> hosts = new ArrayList<>();
        if (text != null) {
            for (String part : text.split("[\\s,]+")) {
                if (part.isEmpty()) {
                    continue;
                }
                String entry = part.toLowerCase(Locale.ROOT);
                if (!ENTRY.matcher(entry).matches()) {
                    throw new SigningException(Kind.CONFIGURATION, "The entry '" + part + "' of the " + setting
                            + " is not valid: write a host name ('tsa.example.com'), a host and port"
                            + " ('tsa.example.com:8080') or '*.example.com'.");
                }
                hosts.add(entry);
            }
        }
        return new TsaAllowList(hosts);
    }

    /** Whether the allow-list admits this URL's host and port. */
    public boolean allows(URI url) {
        if (url.getHost() == null || url.getScheme() == null) {
            return false;
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port < 0 || port == 80 && "http".equalsIgnoreCase(url.getScheme())
                || port == 443 && "https".equalsIgnoreCase(url.getScheme());
        for (String entry : hosts) {
            int colon = entry.indexOf(':');
            String entryHost = colon < 0 ? entry : entry.substring(0, colon);
            boolean portOk = colon < 0 ? defaultPort : port == Integer.parseInt(entry.substring(colon + 1));
            boolean hostOk = entryHost.startsWith("*.") ? host.endsWith(entryHost.substring(1))
                    : host.equals(entryHost);
            if (hostOk && portOk) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code tsa-allow-list} rule for a request: every URL it asks for must be one of the profile's or on a
     * host of this allow-list. A request that keeps the profile's authorities passes.
     */
    public RuleCheck check(String profile, List<String> profileUrls, List<String> requestedUrls) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("requested", String.join(" ", requestedUrls));
        values.put("allowedHosts", String.join(" ", hosts));
        for (String url : requestedUrls) {
            if (profileUrls.contains(url)) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !allows(uri)) {
                return RuleCheck.of("tsa-allow-list", values, "The time-stamp authority '" + url + "' is neither"
                        + " one of the signing profile '" + profile + "' nor on a host of the administrator's TSA"
                        + " allow-list (Manage Jenkins » System » HSM signing), so it is not contacted.");
            }
        }
        return RuleCheck.of("tsa-allow-list", values, null);
    }
}
