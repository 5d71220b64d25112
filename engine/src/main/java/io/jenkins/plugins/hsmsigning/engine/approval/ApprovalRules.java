package io.jenkins.plugins.hsmsigning.engine.approval;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who must agree before a profile's key is used: {@code required} distinct approvers among the listed users and
 * members of the listed groups, within {@code timeout}. Administrators, and the people who started the build or
 * wrote its changes, are excluded unless the profile lets them in: four eyes by default. Being listed is always
 * needed; the two exceptions only lift an exclusion. User ids and group names are compared exactly, so the
 * front-end passes them in one canonical form (Jenkins: its id strategies).
 */
public record ApprovalRules(int required, Set<String> users, Set<String> groups, Duration timeout,
        boolean administratorsMayApprove, boolean authorsMayApprove) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);
    public static final Duration MAX_TIMEOUT = Duration.ofDays(30);
    public static final int MAX_REQUIRED = 20;
    /** No approval: the default of every profile. */
    public static final ApprovalRules NONE = new ApprovalRules(0, Set.of(), Set.of(), DEFAULT_TIMEOUT, false, false);

    public ApprovalRules {
        users = users == null ? Set.of() : Set.copyOf(users);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** Checked rules, from a profile's settings; every failure names the setting. */
    public static ApprovalRules of(int required, Collection<String> users, Collection<String> groups,
            Duration timeout, boolean administratorsMayApprove, boolean authorsMayApprove) throws SigningException {
        if (required < 0 || required > MAX_REQUIRED) {
            throw config("Approvals required must be between 0 (no approval) and " + MAX_REQUIRED + ", not "
                    + required + ".");
        }
        if (timeout == null || timeout.compareTo(Duration.ofMinutes(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw config("The approval timeout must be between one minute and " + MAX_TIMEOUT.toDays() + " days.");
        }
        Set<String> u = users == null ? Set.of() : new LinkedHashSet<>(users);
        Set<String> g = groups == null ? Set.of() : new LinkedHashSet<>(groups);
        if (required > 0 && u.isEmpty() && g.isEmpty()) {
            throw config("Approvals required is " + required + ", but no approver (user or group) is listed.");
        }
        if (required > 0 && g.isEmpty() && u.size() < required) {
            throw config("Approvals required is " + required + ", but only " + u.size() + " approver"
                    + (u.size() == 1 ? " is" : "s are") + " listed and no group.");
        }
        return new ApprovalRules(required, u, g, timeout, administratorsMayApprove, authorsMayApprove);
    }

    /** User ids or group names as typed: one per line or separated by commas; blanks ignored, order kept. */
    public static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        if (text != null) {
            Arrays.stream(text.split("[,\\r\\n]+")).map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        }
        return names;
    }

    public boolean approvalRequired() {
        return required > 0;
    }

    /**
     * Why {@code who} may not approve a request of a build started by {@code startedBy} with changes by
     * {@code changeAuthors}, or null if they may.
     */
    public String whyNot(Approver who, String startedBy, Set<String> changeAuthors) {
        if (who == null || who.userId() == null) {
            return "Only a logged-in approver may approve or deny a signing request.";
        }
        String id = who.userId();
        boolean listed = users.contains(id) || who.groups().stream().anyMatch(groups::contains);
        if (!listed) {
            return "'" + id + "' is not among the approvers of this signing profile.";
        }
        if (who.administrator() && !administratorsMayApprove) {
            return "'" + id + "' is a Jenkins administrator, and this signing profile does not let administrators"
                    + " approve.";
        }
        if (!authorsMayApprove && id.equals(startedBy)) {
            return "'" + id + "' started this build, and this signing profile needs approval by someone else.";
        }
        if (!authorsMayApprove && changeAuthors != null && changeAuthors.contains(id)) {
            return "'" + id + "' wrote changes built by this build, and this signing profile needs approval by"
                    + " someone else.";
        }
        return null;
    }

    private static SigningException config(String message) {
        return new SigningException(SigningException.Kind.CONFIGURATION, message);
    }
}
