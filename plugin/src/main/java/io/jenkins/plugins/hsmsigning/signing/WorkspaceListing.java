package io.jenkins.plugins.hsmsigning.signing;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import jenkins.agents.ControllerToAgentFileCallable;

/**
 * Lists the workspace files that match Ant patterns, where the workspace is. The answer comes from an agent, so the
 * controller checks it ({@code WorkspaceResults.requested}) before asking for any of these files to be verified.
 */
record WorkspaceListing(String includes, String excludes) implements ControllerToAgentFileCallable<ArrayList<String>> {

    private static final long serialVersionUID = 1L;

    @Override
    public ArrayList<String> invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        if (!workspace.isDirectory()) {
            throw new IOException("The workspace " + workspace + " does not exist.");
        }
        Path base = workspace.toPath();
        ArrayList<String> matches = new ArrayList<>();
        // Ant's default excludes leave out SCM metadata (.git/**, .svn/**...), which is never signed.
        for (FilePath file : new FilePath(workspace).list(includes, excludes, true)) {
            matches.add(base.relativize(Path.of(file.getRemote())).toString().replace(File.separatorChar, '/'));
        }
        return matches;
    }
}
