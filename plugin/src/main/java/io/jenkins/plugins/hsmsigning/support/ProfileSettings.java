package io.jenkins.plugins.hsmsigning.support;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.timestamp.TimestampSettings;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the text a signing profile stores (as typed in a form or a JCasC file) into engine settings. Every problem is
 * a {@link Kind#CONFIGURATION} exception whose message names the setting. Plain Java, no Jenkins types: it belongs in
 * the engine, next to the command line's option parsing.
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

    /** Empty (or only "auto") means auto: the embedded format the file is, else CMS. */
    public static Set<Format> formats(List<String> names) throws SigningException {
        Set<Format> formats = EnumSet.noneOf(Format.class);
        if (names != null) {
            for (String name : names) {
                if (name != null && !name.isBlank() && !name.trim().equalsIgnoreCase("auto")) {
                    formats.add(Format.parse(name));
                }
            }
        }
        return formats;
    }

    /** Blank means SHA-256. */
    public static DigestAlgorithm digest(String name) throws SigningException {
        return name == null || name.isBlank() ? DigestAlgorithm.SHA256 : DigestAlgorithm.parse(name);
    }

    /** Time-stamp authority URLs, one per line (blank lines ignored). */
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

    /** PEM certificates; blank means none. {@code setting} names the field in messages. */
    public static List<X509Certificate> certificates(String pem, String setting) throws SigningException {
        return pem == null || pem.isBlank() ? List.of() : CertificateChains.readPem(pem, setting);
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

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }
}
