package io.jenkins.plugins.hsmsigning.cli;

import picocli.CommandLine.Option;

/** How {@code sign}, {@code verify} and {@code inspect} print: lines for people, JSON for machines, or errors only. */
public final class OutputOptions {

    @Option(names = "--json", description = "Print the signature report as JSON instead of lines.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print errors only.")
    boolean quiet;
}
