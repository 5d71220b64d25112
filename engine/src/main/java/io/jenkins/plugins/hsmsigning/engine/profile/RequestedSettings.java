package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one signing request will use, worked out once from the profile's settings and the request's overrides: the
 * formats (empty means auto), the time-stamp authority URLs, and whether each differs from the profile's. The
 * usage policy and the signing options are both made from this one result, so a request cannot look like "no
 * change" to the policy and like something else to the signer.
 */
public record RequestedSettings(Set<Format> formats, boolean overridesFormats, List<String> tsaUrls,
        boolean overridesTsa) {

    public RequestedSettings {
        formats = formats.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(formats));
        tsaUrls = List.copyOf(tsaUrls);
    }

    /**
     * @param requestedFormats null or empty: the profile's; else every entry must name a format or be the single
     *                         entry {@code auto}
     * @param requestedTsaUrls null: the profile's; else the URLs that replace them (blank: none)
     * @param formatsField     the name of the request's formats setting, for messages ({@code formats},
     *                         {@code --format})
     */
    public static RequestedSettings of(List<String> profileFormats, String profileTsaUrls,
            List<String> requestedFormats, String requestedTsaUrls, String formatsField) throws SigningException {
        Set<Format> profile = normalise(profileFormats, "the signing profile's formats");
        Set<Format> formats = profile;
        boolean overridesFormats = false;
        if (requestedFormats != null && !requestedFormats.isEmpty()) {
            formats = normalise(requestedFormats, formatsField);
            overridesFormats = !formats.equals(profile);
        }
        List<String> profileUrls = ProfileSettings.urls(profileTsaUrls);
        List<String> urls = requestedTsaUrls == null ? profileUrls : ProfileSettings.urls(requestedTsaUrls);
        return new RequestedSettings(formats, overridesFormats, urls, !urls.equals(profileUrls));
    }

    /**
     * The formats a list names; empty or {@code [auto]} means auto. A blank entry, an unknown one, or {@code auto}
     * beside a format is an error naming {@code field}.
     */
    public static Set<Format> normalise(List<String> names, String field) throws SigningException {
        Set<Format> formats = EnumSet.noneOf(Format.class);
        if (names == null) {
            return formats;
        }
        boolean auto = false;
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new SigningException(Kind.CONFIGURATION, "A blank entry in " + field + ": name each format ("
                        + String.join(", ", ProfileSettings.formatIds()) + ") or give only 'auto'.");
            }
            if (name.trim().equalsIgnoreCase("auto")) {
                auto = true;
                continue;
            }
            try {
                formats.add(Format.parse(name));
            } catch (SigningException e) {
                throw new SigningException(Kind.CONFIGURATION, "The entry '" + name.trim() + "' in " + field
                        + " is no format: use 'auto' or " + String.join(", ", ProfileSettings.formatIds()) + ".", e);
            }
        }
        if (auto && !formats.isEmpty()) {
            throw new SigningException(Kind.CONFIGURATION, "'auto' is combined with other entries in " + field
                    + ": give 'auto' alone, or only formats.");
        }
        return formats;
    }

    /** The requested time-stamp authorities as one line, for messages and {@code TimestampSettings}. */
    public String tsaUrlText() {
        return String.join(" ", tsaUrls);
    }
}
