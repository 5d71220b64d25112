package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.policy.HeadPattern;
import io.jenkins.plugins.hsmsigning.engine.policy.OriginPolicy;
import io.jenkins.plugins.hsmsigning.engine.policy.RepositoryPattern;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import io.jenkins.plugins.hsmsigning.engine.revocation.Crls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the text a signing profile stores (as typed in a form or a JCasC file) into engine settings, for any front-end
 * that keeps profiles as text (the Jenkins plugin does). Every problem is a {@link Kind#CONFIGURATION} exception whose
 * message names the setting.
 */
public final class ProfileSettings {

    /** Operations a profile may allow at once on one token. */
    public static final int MAX_CONCURRENT_OPERATIONS_LIMIT = 64;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ProfileSettings() {
    }

    public static void checkId(String id) throws SigningException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new SigningException(Kind.CONFIGURATION, "The profile id '" + id + "' is not valid: use 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    public static void checkUniqueIds(List<String> ids) throws SigningException {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new SigningException(Kind.CONFIGURATION, "The profile id '" + id + "' is used twice.");
            }
        }
    }

    /** The format ids users may choose, in the engine's order. */
    public static List<String> formatIds() {
        return Arrays.stream(Format.values()).map(Format::id).toList();
    }

    /** A format's label for a check box: {@code cms — detached CMS signature (.p7s)}; the id itself if unknown. */
    public static String formatLabel(String id) {
        try {
            Format f = Format.parse(id);
            String what = switch (f) {
                case CMS -> "detached CMS signature (.p7s)";
                case PGP -> "detached OpenPGP signature (.asc)";
                case AUTHENTICODE -> "embedded Authenticode signature (Windows files)";
                case JAR -> "embedded JAR signature";
            };
            return f.id() + " — " + what;
        } catch (SigningException e) {
            return id;
        }
    }

    /**
     * The format entries a profile keeps, in one canonical order whatever order they were given in (a form submits
     * its check boxes' order, a JCasC file the file's): known formats by their ids in the engine's order, each once;
     * a lone {@code auto} is the empty list; entries that name no format (or {@code auto} beside formats) are kept
     * after them, as given, so that validation still names them. Never throws: setters call it.
     */
    public static List<String> canonicalFormats(List<String> names) {
        if (names == null) {
            return new ArrayList<>();
        }
        Set<Format> known = EnumSet.noneOf(Format.class);
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            Format format = null;
            if (name != null && !name.isBlank() && !name.trim().equalsIgnoreCase("auto")) {
                try {
                    format = Format.parse(name);
                } catch (SigningException e) {
                    format = null;
                }
            }
            if (format != null) {
                known.add(format);
            } else if (!unknown.contains(name)) {
                unknown.add(name);
            }
        }
        List<String> canonical = new ArrayList<>(known.stream().map(Format::id).toList());
        boolean loneAuto = unknown.size() == 1 && unknown.get(0) != null && unknown.get(0).trim()
                .equalsIgnoreCase("auto");
        if (!(loneAuto && canonical.isEmpty())) {
            canonical.addAll(unknown);
        }
        return canonical;
    }

    /**
     * Empty (or only "auto") means auto: the embedded format the file is, else CMS. A blank or unknown entry is an
     * error ({@link RequestedSettings#normalise}).
     */
    public static Set<Format> formats(List<String> names) throws SigningException {
        return RequestedSettings.normalise(names, "formats");
    }

    /** Blank means SHA-256. */
    public static DigestAlgorithm digest(String name) throws SigningException {
        return name == null || name.isBlank() ? DigestAlgorithm.SHA256 : DigestAlgorithm.parse(name);
    }

    /**
     * The Authenticode program name and URL (Windows shows them when it asks whether to run a program): the
     * request's when given, else the profile's; the URL must be http or https. Nothing ever fetches it.
     * {@code urlSetting} names the URL's field in messages.
     */
    public static SigningOptions program(SigningOptions options, String requestedName, String profileName,
            String requestedUrl, String profileUrl, String urlSetting) throws SigningException {
        String name = firstNonBlank(requestedName, profileName);
        String url = firstNonBlank(requestedUrl, profileUrl);
        programUrl(url, urlSetting);
        return options.programName(name).programUrl(url);
    }

    /** Checks an Authenticode program URL: blank, or an http or https URL. */
    public static void programUrl(String url, String setting) throws SigningException {
        if (url == null || url.isBlank()) {
            return;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new SigningException(Kind.CONFIGURATION, "The " + setting + " '" + url
                    + "' must be an http or https URL.");
        }
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first.trim();
        }
        return second == null || second.isBlank() ? null : second.trim();
    }

    /** Time-stamp authority URLs, separated by white space (one per line in forms); blank lines ignored. */
    public static List<String> urls(String text) {
        List<String> urls = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\\s+")) {
                if (!line.isEmpty()) {
                    urls.add(line);
                }
            }
        }
        return urls;
    }

    public static TimestampSettings timestamps(String urls, boolean required) throws SigningException {
        TimestampSettings settings = TimestampSettings.of(urls(urls), required);
        if (required && !settings.enabled()) {
            throw new SigningException(Kind.CONFIGURATION,
                    "A timestamp is required, but no time-stamp authority URL is set.");
        }
        return settings;
    }

    public static SigningOptions options(List<String> formats, String digest, String tsaUrls, boolean required)
            throws SigningException {
        return SigningOptions.defaults().formats(formats(formats)).digest(digest(digest))
                .timestamps(timestamps(tsaUrls, required));
    }

    /**
     * The options for one request: {@code requestedFormats} replaces the profile's formats unless empty, and
     * {@code requestedTsaUrls} replaces its time-stamp authorities unless null. Whether the profile allows that is
     * {@link UsagePolicy}'s question, asked first with the same {@link RequestedSettings}.
     */
    public static SigningOptions options(List<String> profileFormats, String digest, String profileTsaUrls,
            boolean timestampRequired, List<String> requestedFormats, String requestedTsaUrls)
            throws SigningException {
        return options(RequestedSettings.of(profileFormats, profileTsaUrls, requestedFormats, requestedTsaUrls,
                "formats"), digest, timestampRequired);
    }

    /** The options of a request whose settings were worked out once. */
    public static SigningOptions options(RequestedSettings request, String digest, boolean timestampRequired)
            throws SigningException {
        return SigningOptions.defaults().formats(request.formats()).digest(digest(digest))
                .timestamps(timestamps(request.tsaUrlText(), timestampRequired));
    }

    /** Whether a request's formats differ from the profile's (an empty request takes the profile's). */
    public static boolean overridesFormats(List<String> profileFormats, List<String> requestedFormats)
            throws SigningException {
        return RequestedSettings.of(profileFormats, null, requestedFormats, null, "formats").overridesFormats();
    }

    /** Whether a request's time-stamp authorities differ from the profile's (null takes the profile's). */
    public static boolean overridesTimestamps(String profileTsaUrls, String requestedTsaUrls) {
        return requestedTsaUrls != null && !urls(requestedTsaUrls).equals(urls(profileTsaUrls));
    }

    /** PEM certificates; blank means none. {@code setting} names the field in messages. */
    public static List<X509Certificate> certificates(String pem, String setting) throws SigningException {
        return pem == null || pem.isBlank() ? List.of() : CertificateChains.readPem(pem, setting);
    }

    /**
     * The CRLs of the files named in {@code paths} (one per line), as PEM text that can travel to an agent; blank means
     * none. The files are read at every use, so a job that refreshes them takes effect at once.
     */
    public static String crlsPem(String paths, String setting) throws SigningException {
        List<X509CRL> crls = new ArrayList<>();
        for (String line : paths == null ? new String[0] : paths.split("\\R")) {
            if (!line.isBlank()) {
                crls.addAll(Crls.read(Path.of(line.trim()), setting));
            }
        }
        return Crls.pem(crls);
    }

    /**
     * Name patterns (see {@link io.jenkins.plugins.hsmsigning.engine.policy.NamePattern}), one per line or
     * separated by commas; blank means none. A pattern is a slash-separated name: no white space, no leading or
     * trailing slash, no empty segment.
     */
    public static List<String> patterns(String text, String setting) throws SigningException {
        List<String> patterns = new ArrayList<>();
        if (text == null) {
            return patterns;
        }
        for (String part : text.split("[,\\n\\r]")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.chars().anyMatch(Character::isWhitespace) || p.startsWith("/") || p.endsWith("/")
                    || p.contains("//")) {
                throw new SigningException(Kind.CONFIGURATION, "The pattern '" + p + "' of the " + setting
                        + " is not valid: write a slash-separated name such as 'releases/**' or 'release/*',"
                        + " without spaces and without a leading or trailing slash.");
            }
            patterns.add(p);
        }
        return patterns;
    }

    /**
     * Allowed-branch patterns ({@link HeadPattern}): name patterns as {@link #patterns}, each matching branches, or
     * tags with {@code tag:}, or change requests with {@code change-request:}.
     */
    public static List<String> headPatterns(String text, String setting) throws SigningException {
        List<String> patterns = new ArrayList<>();
        for (String p : patterns(text, setting)) {
            HeadPattern parsed = HeadPattern.parse(p);
            if (parsed == null || parsed.names().toString().isEmpty()) {
                throw new SigningException(Kind.CONFIGURATION, "The pattern '" + p + "' of the " + setting
                        + " is not valid: a branch pattern has no colon; start a pattern with 'tag:' for tags or "
                        + "'change-request:' for change requests, as in 'tag:v*' or 'change-request:PR-*'.");
            }
            patterns(parsed.names().toString(), setting);
            patterns.add(p);
        }
        return patterns;
    }

    /** Which jobs and branches may use a profile, and whether builds may choose its formats or authorities. */
    public static UsagePolicy usagePolicy(String allowedJobs, String allowedBranches, boolean lockFormats,
            boolean lockTimestamps) throws SigningException {
        return new UsagePolicy(patterns(allowedJobs, "allowed jobs"), headPatterns(allowedBranches,
                "allowed branches"), lockFormats, lockTimestamps);
    }

    /**
     * Which jobs and branches may use a profile, where their script must come from, and whether builds may choose
     * its formats or authorities. {@code allowedRepositories} are {@link RepositoryPattern}s; {@code freestyleJobs}
     * exact job full names.
     */
    public static UsagePolicy usagePolicy(String allowedJobs, String allowedBranches, boolean lockFormats,
            boolean lockTimestamps, boolean anyJob, boolean scriptFromScmOnly, boolean allowReplay,
            String allowedRepositories, boolean allowForkChangeRequests, String freestyleJobs)
            throws SigningException {
        return new UsagePolicy(patterns(allowedJobs, "allowed jobs"), headPatterns(allowedBranches,
                "allowed branches"), lockFormats, lockTimestamps, new OriginPolicy(anyJob, scriptFromScmOnly,
                        allowReplay, repositoryPatterns(allowedRepositories, "allowed repositories"),
                        allowForkChangeRequests, jobNames(freestyleJobs, "freestyle jobs")));
    }

    /** Repository URL patterns ({@link RepositoryPattern}), one per line or separated by commas; blank means none. */
    public static List<String> repositoryPatterns(String text, String setting) throws SigningException {
        List<String> patterns = new ArrayList<>();
        for (String p : lines(text)) {
            if (p.chars().anyMatch(Character::isWhitespace) || RepositoryPattern.parse(p) == null) {
                throw new SigningException(Kind.CONFIGURATION, "The pattern '" + p + "' of the " + setting
                        + " is not valid: write a repository URL such as 'https://github.com/acme/app' or"
                        + " 'github.com/acme/*' (scheme, user, '.git' and a trailing slash do not matter).");
            }
            patterns.add(p);
        }
        return patterns;
    }

    /** Exact job full names ({@code folder/job}), one per line or separated by commas; no wildcards. */
    public static List<String> jobNames(String text, String setting) throws SigningException {
        List<String> names = new ArrayList<>();
        for (String name : patterns(text, setting)) {
            if (name.contains("*") || name.contains("?")) {
                throw new SigningException(Kind.CONFIGURATION, "The " + setting + " must be listed by their full"
                        + " names, without wildcards: '" + name + "' is a pattern.");
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        if (text != null) {
            for (String part : text.split("[,\\n\\r]")) {
                if (!part.isBlank()) {
                    lines.add(part.trim());
                }
            }
        }
        return lines;
    }

    public static Long slotId(String text) throws SigningException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long slot = Long.parseLong(text.trim());
            if (slot >= 0) {
                return slot;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SigningException(Kind.CONFIGURATION, "The slot id '" + text + "' is not a whole number >= 0.");
    }

    public static Integer slotListIndex(String text) throws SigningException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int index = Integer.parseInt(text.trim());
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SigningException(Kind.CONFIGURATION, "The slot list index '" + text
                + "' is not a whole number >= 0.");
    }

    /** A token is chosen by exactly one of token label, slot id and slot list index. */
    public static void checkTokenSelection(String tokenLabel, String slot, String slotListIndex)
            throws SigningException {
        slotId(slot);
        slotListIndex(slotListIndex);
        int set = (isSet(tokenLabel) ? 1 : 0) + (isSet(slot) ? 1 : 0) + (isSet(slotListIndex) ? 1 : 0);
        if (set != 1) {
            throw new SigningException(Kind.CONFIGURATION, "Choose the token by exactly one of token label, slot id"
                    + " or slot list index (" + set + " are set).");
        }
    }

    public static void checkMaxConcurrentOperations(int max) throws SigningException {
        if (max < 1 || max > MAX_CONCURRENT_OPERATIONS_LIMIT) {
            throw new SigningException(Kind.CONFIGURATION, "The maximum number of concurrent operations must be"
                    + " between 1 and " + MAX_CONCURRENT_OPERATIONS_LIMIT + " (it is " + max + ").");
        }
    }

    /**
     * How many artifacts one signing run works on at once: as many as the token takes operations at once, so that a
     * network HSM's latency is spent in parallel, and at least two, so that hashing one overlaps the token signing
     * another.
     */
    public static int signingThreads(int maxConcurrentOperations) {
        return Math.max(2, maxConcurrentOperations);
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }
}
