package io.jenkins.plugins.hsmsigning.signing;

import java.util.List;

/**
 * What a build asks to sign: a profile, the archived artifacts by Ant patterns, formats that replace the profile's
 * (empty: the profile's), time-stamp authority URLs that replace the profile's (null: the profile's), and whether
 * matching nothing is acceptable. The {@code signArtifacts} step and the freestyle recorder both make one.
 */
public record SigningRequest(String profile, String includes, String excludes, List<String> formats, String tsaUrls,
        boolean allowEmpty) {

    public SigningRequest {
        formats = formats == null ? List.of() : List.copyOf(formats);
    }
}
