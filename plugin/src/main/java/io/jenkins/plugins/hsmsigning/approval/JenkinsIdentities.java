package io.jenkins.plugins.hsmsigning.approval;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.PluginWrapper;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.User;
import hudson.scm.ChangeLogSet;
import hudson.security.ACL;
import io.jenkins.plugins.hsmsigning.engine.approval.Approver;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import jenkins.scm.RunWithSCM;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Maps Jenkins people onto the engine's approval rules: the current user as an {@link Approver} (id, groups of the
 * security realm, Overall/Administer), the user who started a build (its user cause, also through upstream builds)
 * and the authors of its change sets. Ids and group names go through the realm's id strategies, so that "Alice"
 * and "alice" are one person exactly when Jenkins says so.
 */
final class JenkinsIdentities {

    private JenkinsIdentities() {
    }

    /** The person making the current web request; an anonymous one has no id and may approve nothing. */
    static Approver current() {
        Authentication auth = Jenkins.getAuthentication2();
        if (ACL.isAnonymous2(auth) || ACL.SYSTEM2.equals(auth)) {
            return new Approver(null, Set.of(), false);
        }
        Set<String> groups = new LinkedHashSet<>();
        for (GrantedAuthority a : auth.getAuthorities()) {
            if (a.getAuthority() != null) {
                groups.add(canonicalGroup(a.getAuthority()));
            }
        }
        return new Approver(canonicalUser(auth.getName()), groups,
                Jenkins.get().getACL().hasPermission2(auth, Jenkins.ADMINISTER));
    }

    /** The user id who started the build (directly, or an upstream build that led to it), else null. */
    @CheckForNull
    static String starter(Run<?, ?> run) {
        return starter(run.getCauses());
    }

    private static String starter(List<Cause> causes) {
        for (Cause c : causes) {
            if (c instanceof Cause.UserIdCause user && user.getUserId() != null) {
                return canonicalUser(user.getUserId());
            }
            if (c instanceof Cause.UpstreamCause upstream) {
                String id = starter(upstream.getUpstreamCauses());
                if (id != null) {
                    return id;
                }
            }
        }
        return null;
    }

    /** What started the build, for people: the user id, or the first cause ("Started by timer"). */
    static String startedBy(Run<?, ?> run) {
        String user = starter(run);
        if (user != null) {
            return user;
        }
        List<Cause> causes = run.getCauses();
        return causes.isEmpty() ? "unknown cause" : causes.get(0).getShortDescription();
    }

    /** The user ids of the authors of the build's change sets (Pipeline and freestyle alike). */
    static Set<String> changeAuthors(Run<?, ?> run) {
        Set<String> authors = new LinkedHashSet<>();
        if (run instanceof RunWithSCM<?, ?> scm) {
            for (ChangeLogSet<? extends ChangeLogSet.Entry> set : scm.getChangeSets()) {
                for (ChangeLogSet.Entry entry : set) {
                    User author = entry.getAuthor();
                    if (author != null) {
                        authors.add(canonicalUser(author.getId()));
                    }
                }
            }
        }
        return authors;
    }

    /** The revision a multibranch build built (SCM API, when active), else null. */
    @CheckForNull
    static String commit(Run<?, ?> run) {
        PluginWrapper scmApi = Jenkins.get().getPluginManager().getPlugin("scm-api");
        return scmApi == null || !scmApi.isActive() ? null : ScmApiRevisions.of(run);
    }

    static String canonicalUser(String id) {
        return User.idStrategy().keyFor(id);
    }

    static String canonicalGroup(String name) {
        return Jenkins.get().getSecurityRealm().getGroupIdStrategy().keyFor(name);
    }

    static Set<String> canonicalUsers(Collection<String> ids) {
        Set<String> set = new LinkedHashSet<>();
        ids.forEach(id -> set.add(canonicalUser(id)));
        return set;
    }

    static Set<String> canonicalGroups(Collection<String> names) {
        Set<String> set = new LinkedHashSet<>();
        names.forEach(n -> set.add(canonicalGroup(n)));
        return set;
    }
}
