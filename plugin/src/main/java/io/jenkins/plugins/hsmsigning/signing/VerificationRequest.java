package io.jenkins.plugins.hsmsigning.signing;

import io.jenkins.plugins.hsmsigning.engine.attest.ProvenanceExpectations;
import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;

/**
 * What a build asks to verify: the archived artifacts or the workspace files matching Ant patterns, against a
 * profile's trust material or certificates and OpenPGP keys given to the step (these replace the profile's trust
 * anchors and add to its OpenPGP keys), and whether a failure fails the build.
 *
 * @param profile        a signing profile id, or null when the trust material is given
 * @param trustAnchors   PEM root certificates; null means the profile's
 * @param pgpKeys        armored OpenPGP public keys, in addition to those derived from the profile
 * @param certificates   PEM certificates that help build paths, in addition to the profile's
 * @param revocation     {@code off}, {@code soft} or {@code strict}; it can raise the profile's level, never lower
 *                       it; null means the profile's
 * @param expectations   what the provenance in attestation bundles must state (builder, repository, branch)
 * @param deep           whether to verify the files inside containers too, and which ({@code innerIncludes},
 *                       {@code innerExcludes}); {@link DeepRequest#NONE} means not
 */
public record VerificationRequest(String profile, String includes, String excludes, Source source,
        String trustAnchors, String pgpKeys, boolean failOnError, String certificates, String revocation,
        ProvenanceExpectations expectations, DeepRequest deep) {

    public VerificationRequest {
        expectations = expectations == null ? ProvenanceExpectations.NONE : expectations;
        deep = deep == null ? DeepRequest.NONE : deep;
    }

    /** Not deep. */
    public VerificationRequest(String profile, String includes, String excludes, Source source, String trustAnchors,
            String pgpKeys, boolean failOnError, String certificates, String revocation,
            ProvenanceExpectations expectations) {
        this(profile, includes, excludes, source, trustAnchors, pgpKeys, failOnError, certificates, revocation,
                expectations, DeepRequest.NONE);
    }

    /** A request without path-building certificates or provenance expectations, at the profile's revocation level. */
    public VerificationRequest(String profile, String includes, String excludes, Source source, String trustAnchors,
            String pgpKeys, boolean failOnError) {
        this(profile, includes, excludes, source, trustAnchors, pgpKeys, failOnError, null, null,
                ProvenanceExpectations.NONE, DeepRequest.NONE);
    }

    /** The files inside containers to verify as well, or null when verification is not deep. */
    public InnerSelection innerSelection() {
        return deep.deep() ? deep.selection() : null;
    }

    /** Where the files to verify are. */
    public enum Source {
        /** The build's archived artifacts, verified on the controller. */
        ARCHIVE,
        /** The current workspace, verified where it is (on the agent). */
        WORKSPACE;

        public static Source parse(String text) {
            if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("archive")) {
                return ARCHIVE;
            }
            if (text.trim().equalsIgnoreCase("workspace")) {
                return WORKSPACE;
            }
            throw new IllegalArgumentException("source must be 'archive' or 'workspace', not '" + text + "'");
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
