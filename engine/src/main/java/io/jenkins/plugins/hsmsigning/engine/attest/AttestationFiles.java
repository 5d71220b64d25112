package io.jenkins.plugins.hsmsigning.engine.attest;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * The conventional names of what attesting writes, relative to the artifacts' root: {@code provenance.sigstore.json}
 * (then {@code provenance-2.sigstore.json}, ... when a build attests more than once), {@code <sbom>.att.sigstore.json}
 * beside each SBOM, and beside every bundle the signer's certificate chain, {@code <name>.chain.pem}.
 */
public final class AttestationFiles {

    public static final String BUNDLE_SUFFIX = ".sigstore.json";
    public static final String CHAIN_SUFFIX = ".chain.pem";
    public static final String PROVENANCE = "provenance" + BUNDLE_SUFFIX;
    static final String SBOM_SUFFIX = ".att" + BUNDLE_SUFFIX;

    private AttestationFiles() {
    }

    /** {@code provenance.sigstore.json}, or the first numbered name that {@code taken} does not reject. */
    public static String provenanceBundle(Predicate<String> taken) {
        String name = PROVENANCE;
        for (int i = 2; taken.test(name); i++) {
            name = "provenance-" + i + BUNDLE_SUFFIX;
        }
        return name;
    }

    public static String sbomBundle(String sbomPath) {
        return sbomPath + SBOM_SUFFIX;
    }

    /** {@code provenance.chain.pem} for {@code provenance.sigstore.json}. */
    public static String chainFor(String bundlePath) {
        String base = isBundle(bundlePath)
                ? bundlePath.substring(0, bundlePath.length() - BUNDLE_SUFFIX.length()) : bundlePath;
        return base + CHAIN_SUFFIX;
    }

    public static boolean isBundle(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(BUNDLE_SUFFIX);
    }

    /** A bundle or a chain beside one: results of attesting, never artifacts to sign or attest. */
    public static boolean isAttestationFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(BUNDLE_SUFFIX) || lower.endsWith(CHAIN_SUFFIX);
    }
}
