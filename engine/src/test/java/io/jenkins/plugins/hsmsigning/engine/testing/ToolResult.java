package io.jenkins.plugins.hsmsigning.engine.testing;

/** Exit code and captured output of an external tool run by {@link ExternalTool}. */
public record ToolResult(int exitCode, String stdout, String stderr) {

    /** Standard output followed by standard error, for assertion messages and content checks. */
    public String output() {
        return stdout + stderr;
    }
}
