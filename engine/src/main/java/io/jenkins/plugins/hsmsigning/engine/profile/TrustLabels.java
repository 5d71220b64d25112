package io.jenkins.plugins.hsmsigning.engine.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * What a verification was checked against, as the labels a report entry's {@code trust} lists:
 * {@code profile:<id>} for the trust anchors and keys of a signing profile, {@code step:trustAnchors} and
 * {@code step:pgpKeys} for those given to the verification itself.
 */
public final class TrustLabels {

    private TrustLabels() {
    }

    /**
     * @param profile           the profile's id, or null without a profile
     * @param stepTrustAnchors  the step gave trust anchors (they replace the profile's)
     * @param stepPgpKeys       the step gave OpenPGP keys (they add to the profile's)
     */
    public static List<String> of(String profile, boolean stepTrustAnchors, boolean stepPgpKeys) {
        List<String> labels = new ArrayList<>();
        if (profile != null) {
            labels.add("profile:" + profile);
        }
        if (stepTrustAnchors) {
            labels.add("step:trustAnchors");
        }
        if (stepPgpKeys) {
            labels.add("step:pgpKeys");
        }
        return labels;
    }
}
