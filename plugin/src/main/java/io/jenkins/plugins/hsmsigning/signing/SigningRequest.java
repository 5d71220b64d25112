package io.jenkins.plugins.hsmsigning.signing;

import java.util.List;

/**
 * What a build asks to sign: a profile, the archived artifacts by Ant patterns, formats that replace the profile's
 * (empty: the profile's), time-stamp authority URLs that replace the profile's (null: the profile's), whether
 * matching nothing is acceptable, and whether earlier Authenticode signatures are replaced (also when the profile
 * says so) instead of kept with the new one nested. The {@code signArtifacts} step and the freestyle recorder both
 * make one.
 */
public record SigningRequest(String profile, String includes, String excludes, List<String> formats, String tsaUrls,
        boolean allowEmpty, boolean replace) {

    public SigningRequest {
        formats = formats == null ? List.of() : List.copyOf(formats);
    }
}
