package io.jenkins.plugins.hsmsigning.signing;

import java.util.List;

/**
 * What a build asks to sign: a profile, the archived artifacts by Ant patterns, formats that replace the profile's
 * (empty: the profile's), time-stamp authority URLs that replace the profile's (null: the profile's), whether
 * matching nothing is acceptable, and whether earlier Authenticode signatures are replaced (also when the profile
 * says so) instead of kept with the new one nested. The {@code signArtifacts} step and the freestyle recorder both
 * make one.
 *
 * @param provenance whether to sign the SLSA provenance of what was signed ({@code provenance.sigstore.json})
 * @param sboms      Ant patterns of archived CycloneDX or SPDX JSON SBOMs to attest, or null for none
 * @param deep       whether and how to sign inside containers first ({@link DeepRequest#NONE}: as the profile says)
 * @param verbose    one log line per artifact for all of them, not only the first
 *                   {@link io.jenkins.plugins.hsmsigning.engine.profile.ConsoleLines#DEFAULT_LIMIT} and the failures
 * @param programName Authenticode program name replacing the profile's, or null for the profile's
 * @param programUrl  Authenticode program URL replacing the profile's, or null for the profile's
 */
public record SigningRequest(String profile, String includes, String excludes, List<String> formats, String tsaUrls,
        boolean allowEmpty, boolean replace, boolean provenance, String sboms, DeepRequest deep, boolean verbose,
        String programName, String programUrl) {

    public SigningRequest {
        formats = formats == null ? List.of() : List.copyOf(formats);
        deep = deep == null ? DeepRequest.NONE : deep;
    }

    /** The profile's Authenticode program name and URL. */
    public SigningRequest(String profile, String includes, String excludes, List<String> formats, String tsaUrls,
            boolean allowEmpty, boolean replace, boolean provenance, String sboms, DeepRequest deep,
            boolean verbose) {
        this(profile, includes, excludes, formats, tsaUrls, allowEmpty, replace, provenance, sboms, deep, verbose,
                null, null);
    }

    /** Signing without deep signing (unless the profile asks for it), its log limited ({@code verbose} false). */
    public SigningRequest(String profile, String includes, String excludes, List<String> formats, String tsaUrls,
            boolean allowEmpty, boolean replace, boolean provenance, String sboms) {
        this(profile, includes, excludes, formats, tsaUrls, allowEmpty, replace, provenance, sboms, DeepRequest.NONE,
                false);
    }

    /** Signing without attestations. */
    public SigningRequest(String profile, String includes, String excludes, List<String> formats, String tsaUrls,
            boolean allowEmpty, boolean replace) {
        this(profile, includes, excludes, formats, tsaUrls, allowEmpty, replace, false, null);
    }

    /** Whether anything is to be attested once the artifacts are signed. */
    public boolean attests() {
        return provenance || sboms != null;
    }
}
