package io.jenkins.plugins.hsmsigning.origin;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import hudson.plugins.git.GitSCM;
import hudson.plugins.git.Revision;
import hudson.plugins.git.UserRemoteConfig;
import hudson.plugins.git.util.BuildData;
import hudson.scm.SCM;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jenkins.plugins.git.AbstractGitSCMSource;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMSource;

/**
 * What the Git plugin knows: the repository URLs of a Git SCM or Git-based multibranch source, and the commit a
 * build checked out of them. Loaded only when the Git plugin is active; another SCM gives no URL, so a profile that
 * restricts repositories refuses it.
 */
final class GitRepositories {

    private GitRepositories() {
    }

    /** The remote URLs of {@code scm}, or none when it is not Git. */
    static List<String> urls(@CheckForNull SCM scm) {
        List<String> urls = new ArrayList<>();
        if (scm instanceof GitSCM git) {
            for (UserRemoteConfig remote : git.getUserRemoteConfigs()) {
                if (remote.getUrl() != null) {
                    urls.add(remote.getUrl());
                }
            }
        }
        return urls;
    }

    /** The remote of a Git-based multibranch source (Git, GitHub, Bitbucket, GitLab...), or none. */
    static List<String> urls(@CheckForNull SCMSource source) {
        return source instanceof AbstractGitSCMSource git && git.getRemote() != null ? List.of(git.getRemote())
                : List.of();
    }

    /**
     * The commit of the build's first Git checkout, if it was from one of {@code urls}: for a full "Pipeline script
     * from SCM" checkout, the checkout of the script itself.
     */
    @CheckForNull
    static String firstCommit(Run<?, ?> run, Collection<String> urls) {
        List<BuildData> checkouts = run.getActions(BuildData.class);
        if (checkouts.isEmpty()) {
            return null;
        }
        BuildData first = checkouts.get(0);
        Revision revision = first.getLastBuiltRevision();
        return revision != null && first.getRemoteUrls().stream().anyMatch(urls::contains)
                ? revision.getSha1String() : null;
    }

    /** The commit hash of a Git revision; another revision as its SCM prints it. */
    static String hash(SCMRevision revision) {
        return revision instanceof AbstractGitSCMSource.SCMRevisionImpl git ? git.getHash() : revision.toString();
    }
}
