package io.jenkins.plugins.hsmsigning.signing;

import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;

/**
 * Deep signing as a build asks for it: whether to open containers and sign what is inside first (also when the
 * profile says so), and the inner patterns ({@code innerIncludes}, {@code innerExcludes}, {@code innerDetached};
 * null: the defaults). The same names as {@code hsmsign sign --deep --inner-includes ...}.
 */
public record DeepRequest(boolean deep, String innerIncludes, String innerExcludes, String innerDetached) {

    /** Not deep, unless the profile is. */
    public static final DeepRequest NONE = new DeepRequest(false, null, null, null);

    public InnerSelection selection() {
        return InnerSelection.of(innerIncludes, innerExcludes, innerDetached);
    }
}
