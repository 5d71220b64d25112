package io.jenkins.plugins.hsmsigning.engine.approval;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.Test;

public class ApprovalRulesTest {

    private static final ApprovalRules TWO_OF_TEAM = rules(2, false, false);

    static ApprovalRules rules(int required, boolean administrators, boolean authors) {
        try {
            return ApprovalRules.of(required, List.of("alice", "bob"), List.of("release-managers"),
                    ApprovalRules.DEFAULT_TIMEOUT, administrators, authors);
        } catch (SigningException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void noApprovalIsTheDefault() {
        assertFalse(ApprovalRules.NONE.approvalRequired());
        assertEquals(Duration.ofHours(24), ApprovalRules.NONE.timeout());
        assertFalse(ApprovalRules.NONE.administratorsMayApprove());
        assertFalse(ApprovalRules.NONE.authorsMayApprove());
    }

    @Test
    public void listedUsersAndGroupMembersMayApprove() {
        assertNull(TWO_OF_TEAM.whyNot(new Approver("alice", Set.of(), false), "carol", Set.of()));
        assertNull(TWO_OF_TEAM.whyNot(new Approver("dave", Set.of("release-managers"), false), "carol", Set.of()));
        assertThat(TWO_OF_TEAM.whyNot(new Approver("mallory", Set.of("developers"), false), "carol", Set.of()),
                containsString("'mallory' is not among the approvers"));
        assertThat(TWO_OF_TEAM.whyNot(new Approver(null, Set.of(), false), "carol", Set.of()),
                containsString("logged-in"));
    }

    @Test
    public void fourEyesByDefault() {
        assertThat(TWO_OF_TEAM.whyNot(new Approver("alice", Set.of(), false), "alice", Set.of()),
                containsString("'alice' started this build"));
        assertThat(TWO_OF_TEAM.whyNot(new Approver("bob", Set.of(), false), "alice", Set.of("bob")),
                containsString("'bob' wrote changes"));
        ApprovalRules authorsToo = rules(2, false, true);
        assertNull(authorsToo.whyNot(new Approver("alice", Set.of(), false), "alice", Set.of("alice")));
    }

    @Test
    public void administratorsOnlyWhenAllowedAndListed() {
        Approver listedAdmin = new Approver("alice", Set.of(), true);
        assertThat(TWO_OF_TEAM.whyNot(listedAdmin, "carol", Set.of()), containsString("administrator"));
        assertNull(rules(2, true, false).whyNot(listedAdmin, "carol", Set.of()));
        assertThat(rules(2, true, false).whyNot(new Approver("root", Set.of(), true), "carol", Set.of()),
                containsString("not among the approvers"));
    }

    @Test
    public void settingsAreChecked() {
        assertThat(assertThrows(SigningException.class, () -> ApprovalRules.of(-1, List.of("a"), List.of(),
                ApprovalRules.DEFAULT_TIMEOUT, false, false)).getMessage(), containsString("Approvals required"));
        assertThat(assertThrows(SigningException.class, () -> ApprovalRules.of(1, List.of(), List.of(),
                ApprovalRules.DEFAULT_TIMEOUT, false, false)).getMessage(), containsString("no approver"));
        assertThat(assertThrows(SigningException.class, () -> ApprovalRules.of(3, List.of("a", "b"), List.of(),
                ApprovalRules.DEFAULT_TIMEOUT, false, false)).getMessage(), containsString("only 2 approvers"));
        assertThat(assertThrows(SigningException.class, () -> ApprovalRules.of(1, List.of("a"), List.of(),
                Duration.ofSeconds(5), false, false)).getMessage(), containsString("approval timeout"));
        assertThat(assertThrows(SigningException.class, () -> ApprovalRules.of(1, List.of("a"), List.of(),
                Duration.ofDays(31), false, false)).getMessage(), containsString("approval timeout"));
        // A group may hold any number of people.
        assertTrue(rules(5, false, false).approvalRequired());
    }

    @Test
    public void namesAreOnePerLineOrCommaSeparated() {
        assertEquals(List.of("alice", "bob", "Domain Admins"),
                List.copyOf(ApprovalRules.names(" alice, bob\n\nDomain Admins \r\n alice")));
        assertTrue(ApprovalRules.names(null).isEmpty());
    }
}
