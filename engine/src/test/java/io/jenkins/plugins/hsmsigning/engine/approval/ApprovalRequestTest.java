package io.jenkins.plugins.hsmsigning.engine.approval;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ApprovalRequestTest {

    private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
    private static final Approver ALICE = new Approver("alice", Set.of(), false);
    private static final Approver BOB = new Approver("bob", Set.of(), false);
    private static final Approver DAVE = new Approver("dave", Set.of("release-managers"), false);
    private static final Approver CAROL = new Approver("carol", Set.of("release-managers"), false);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A clock the test moves by hand: timeouts without sleeping. */
    private Clock clock = Clock.fixed(START, ZoneOffset.UTC);

    private Instant now() {
        return clock.instant();
    }

    private void advance(Duration d) {
        clock = Clock.offset(clock, d);
    }

    static ApprovalRequest request(ApprovalRules rules, Instant now) throws SigningException {
        return ApprovalRequest.open("r-1", new ApprovalSubject("release", "team/app", "42", "main", "abc123",
                "carol", Set.of("erin")), List.of(new ArtifactDigest("dist/app.exe", "aa".repeat(32)),
                        new ArtifactDigest("dist/lib.jar", "bb".repeat(32))), rules, now);
    }

    @Test
    public void kDistinctApproversApprove() throws Exception {
        ApprovalRequest r = request(ApprovalRulesTest.rules(2, false, false), now());
        assertEquals(ApprovalState.PENDING, r.state());
        assertEquals(START.plus(Duration.ofHours(24)), r.deadline());

        List<ApprovalEvent> first = r.approve(ALICE, "looks right", now());
        assertEquals(List.of(ApprovalEvent.Type.APPROVAL), first.stream().map(ApprovalEvent::type).toList());
        assertEquals(ApprovalState.PENDING, r.state());
        assertThat(r.failureMessage(), containsString("still waiting"));

        ApprovalRefusal twice = assertThrows(ApprovalRefusal.class, () -> r.approve(ALICE, "again", now()));
        assertEquals(ApprovalRefusal.Reason.ALREADY_APPROVED, twice.reason());

        advance(Duration.ofHours(1));
        List<ApprovalEvent> second = r.approve(DAVE, null, now());
        assertEquals(List.of(ApprovalEvent.Type.APPROVAL, ApprovalEvent.Type.APPROVED),
                second.stream().map(ApprovalEvent::type).toList());
        assertEquals(ApprovalState.APPROVED, r.state());
        assertEquals(List.of("alice", "dave"), r.approvers());
        assertNull(r.failureMessage());

        ApprovalRefusal late = assertThrows(ApprovalRefusal.class, () -> r.approve(BOB, "me too", now()));
        assertEquals(ApprovalRefusal.Reason.NOT_PENDING, late.reason());
        assertThat(late.getMessage(), containsString("already approved"));
    }

    @Test
    public void starterAuthorsAndStrangersAreRefusedWithoutChangingTheRequest() throws Exception {
        ApprovalRequest r = request(ApprovalRulesTest.rules(1, false, false), now());
        ApprovalRefusal starter = assertThrows(ApprovalRefusal.class, () -> r.approve(CAROL, "mine", now()));
        assertEquals(ApprovalRefusal.Reason.NOT_ELIGIBLE, starter.reason());
        assertThat(starter.getMessage(), containsString("started this build"));
        ApprovalRefusal author = assertThrows(ApprovalRefusal.class,
                () -> r.approve(new Approver("erin", Set.of("release-managers"), false), null, now()));
        assertThat(author.getMessage(), containsString("wrote changes"));
        ApprovalRefusal stranger = assertThrows(ApprovalRefusal.class,
                () -> r.deny(new Approver("mallory", Set.of(), false), "no", now()));
        assertEquals(ApprovalRefusal.Reason.NOT_ELIGIBLE, stranger.reason());
        assertEquals(ApprovalState.PENDING, r.state());
        assertEquals(1, r.history().size());
        assertTrue(r.isApprover(ALICE));
        assertThat(r.whyNot(CAROL, now()), containsString("started this build"));
    }

    @Test
    public void oneDenialEndsTheRequestNamingWhoAndWhy() throws Exception {
        ApprovalRequest r = request(ApprovalRulesTest.rules(2, false, false), now());
        r.approve(ALICE, "ok", now());
        ApprovalRefusal silent = assertThrows(ApprovalRefusal.class, () -> r.deny(BOB, "  \n ", now()));
        assertEquals(ApprovalRefusal.Reason.COMMENT_REQUIRED, silent.reason());
        List<ApprovalEvent> denied = r.deny(BOB, "wrong version\nnumber", now());
        assertEquals(ApprovalEvent.Type.DENIED, denied.get(0).type());
        assertEquals(ApprovalState.DENIED, r.state());
        assertEquals("The signing request for profile 'release' was denied by bob: wrong version number. Nothing"
                + " was signed.", r.failureMessage());
        assertEquals(ApprovalRefusal.Reason.NOT_PENDING,
                assertThrows(ApprovalRefusal.class, () -> r.approve(DAVE, null, now())).reason());
        // Someone who may not decide hears that first, whatever the state.
        assertEquals(ApprovalRefusal.Reason.NOT_ELIGIBLE, assertThrows(ApprovalRefusal.class,
                () -> r.approve(new Approver("mallory", Set.of(), false), null, now())).reason());
        assertThat(r.whyNotApprover(CAROL), containsString("started this build"));
    }

    @Test
    public void theTimeoutEndsAPendingRequest() throws Exception {
        ApprovalRequest r = request(ApprovalRulesTest.rules(2, false, false), now());
        r.approve(ALICE, null, now());
        advance(Duration.ofHours(23).plusMinutes(59));
        assertEquals(List.of(), r.expireIfDue(now()));
        assertEquals(ApprovalState.PENDING, r.state());

        advance(Duration.ofMinutes(1));
        ApprovalRefusal late = assertThrows(ApprovalRefusal.class, () -> r.approve(DAVE, null, now()));
        assertEquals(ApprovalRefusal.Reason.NOT_PENDING, late.reason());
        assertThat(late.getMessage(), containsString("expired"));

        List<ApprovalEvent> expired = r.expireIfDue(now());
        assertEquals(ApprovalEvent.Type.TIMED_OUT, expired.get(0).type());
        assertNull(expired.get(0).user());
        assertEquals(ApprovalState.TIMED_OUT, r.state());
        assertThat(r.failureMessage(), containsString("timed out: 1 of 2 approvals by 2026-12-02T09:00:00Z"
                + " (received from alice)"));
        assertEquals(List.of(), r.expireIfDue(now()));
    }

    @Test
    public void withdrawalOnlyEndsAPendingRequest() throws Exception {
        ApprovalRequest r = request(ApprovalRulesTest.rules(1, false, false), now());
        assertEquals(ApprovalEvent.Type.WITHDRAWN, r.withdraw("carol", "the build was aborted", now()).get(0).type());
        assertEquals(ApprovalState.WITHDRAWN, r.state());
        assertThat(r.failureMessage(), containsString("withdrawn by carol: the build was aborted"));
        assertEquals(List.of(), r.withdraw(null, "again", now()));

        ApprovalRequest approved = request(ApprovalRulesTest.rules(1, false, false), now());
        approved.approve(ALICE, null, now());
        assertEquals(List.of(), approved.withdraw(null, "build ended", now()));
        assertEquals(ApprovalState.APPROVED, approved.state());
    }

    @Test
    public void commentsAreOneBoundedLine() {
        assertNull(ApprovalRequest.clean(" \t"));
        assertEquals("a b", ApprovalRequest.clean("a\r\n\u001b[31mb".replace("[31m", "")));
        assertEquals(ApprovalRequest.MAX_COMMENT + 1, ApprovalRequest.clean("x".repeat(5000)).length());
    }

    @Test
    public void survivesAJsonRoundTripMidWay() throws Exception {
        ApprovalRequest r = request(ApprovalRulesTest.rules(2, false, false), now());
        r.approve(ALICE, "fine", now());
        ApprovalRequest back = ApprovalRequest.fromJson(r.toJson());
        assertEquals(r.toJson(), back.toJson());
        assertEquals(r.rules(), back.rules());
        assertEquals(r.subject(), back.subject());
        assertEquals(List.of("alice"), back.approvers());
        // The restored request goes on where it stopped.
        back.approve(BOB, null, now());
        assertEquals(ApprovalState.APPROVED, back.state());
        assertThrows(ApprovalRefusal.class, () -> ApprovalRequest.fromJson(back.toJson()).approve(DAVE, null,
                now()));
    }

    @Test
    public void onlyTheApprovedBytesMaySign() throws Exception {
        Path app = tmp.newFile("app.exe").toPath();
        Files.writeString(app, "approved bytes", StandardCharsets.UTF_8);
        String sha = sha256(app);
        ApprovalRequest r = ApprovalRequest.open("r-2", new ApprovalSubject("release", "j", "1", null, null,
                "carol", Set.of()), List.of(new ArtifactDigest("dist/app.exe", sha)),
                ApprovalRulesTest.rules(1, false, false), now());

        SigningException pending = assertThrows(SigningException.class,
                () -> r.checkApproved(List.of("dist/app.exe")));
        assertThat(pending.getMessage(), containsString("still waiting"));

        r.approve(ALICE, null, now());
        r.checkApproved(List.of("dist/app.exe"));
        r.checkRead("dist/app.exe", sha256(app));
        assertThat(assertThrows(SigningException.class, () -> r.checkApproved(List.of("dist/app.exe",
                "dist/extra.exe"))).getMessage(), containsString("dist/extra.exe was not among the approved"));

        Files.writeString(app, "other bytes", StandardCharsets.UTF_8);
        SigningException changed = assertThrows(SigningException.class,
                () -> r.checkRead("dist/app.exe", sha256(app)));
        assertEquals(SigningException.Kind.INPUT, changed.kind());
        assertThat(changed.getMessage(), containsString("dist/app.exe changed after approval (approved SHA-256 "
                + sha + ", now " + sha256(app) + ")"));
    }

    @Test
    public void theRequestNeedsRulesAndArtifacts() {
        assertThrows(SigningException.class, () -> request(ApprovalRules.NONE, now()));
        SigningException none = assertThrows(SigningException.class, () -> ApprovalRequest.open("r", new
                ApprovalSubject("release", "j", "1", null, null, "carol", Set.of()), List.of(),
                ApprovalRulesTest.rules(1, false, false), now()));
        assertThat(none.getMessage(), containsString("nothing to approve"));
        assertThat(ApprovalRulesTest.rules(1, false, false).toString(), not(containsString("null")));
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ArtifactDigests.sha256(in);
        }
    }
}
