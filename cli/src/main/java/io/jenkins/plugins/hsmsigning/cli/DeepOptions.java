package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;
import picocli.CommandLine.Option;

/** {@code --deep} and the inner patterns, named as the plugin's {@code deep}, {@code innerIncludes}, ... */
final class DeepOptions {

    @Option(names = "--deep", description = "Open ZIP, JAR/WAR/EAR, NuGet and APPX/MSIX containers: the files inside "
            + "with embedded signatures (Windows executables, JARs, nested containers) are signed first, then the "
            + "container; each inner file is reported as CONTAINER!/PATH.")
    boolean deep;

    @Option(names = "--inner-includes", paramLabel = "PATTERNS", description = "With --deep: the inner files to "
            + "consider, comma-separated patterns over their path inside the container (default **).")
    String innerIncludes;

    @Option(names = "--inner-excludes", paramLabel = "PATTERNS", description = "With --deep: inner files to leave "
            + "alone, comma-separated patterns.")
    String innerExcludes;

    @Option(names = "--inner-detached", paramLabel = "PATTERNS", description = "With --deep: inner files that also "
            + "get a detached CMS signature (PATH.p7s) inside the container, comma-separated patterns.")
    String innerDetached;

    InnerSelection selection() {
        return InnerSelection.of(innerIncludes, innerExcludes, innerDetached);
    }
}
