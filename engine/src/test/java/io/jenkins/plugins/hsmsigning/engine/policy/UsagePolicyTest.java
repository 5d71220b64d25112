package io.jenkins.plugins.hsmsigning.engine.policy;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class UsagePolicyTest {

    private final UsagePolicy releases = new UsagePolicy(List.of("releases/**"), List.of("main", "release/*",
            "tag:v*"), true, false);

    @Test
    public void aFolderPatternAllowsTheJobsInsideIt() {
        assertTrue(releases.check(request("releases/app/main", branch("main"), false)).allowed());
        assertTrue(releases.check(request("releases/deep/er/app/v1.2", tag("v1.2"), false)).allowed());
    }

    @Test
    public void aJobOutsideTheFolderIsDeniedWithTheReason() {
        UsagePolicy.Decision d = releases.check(request("sandbox/app/main", branch("main"), false));
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("The job 'sandbox/app/main' may not use the signing profile 'release'"));
        assertThat(d.reason(), containsString("'releases/**'"));
    }

    @Test
    public void branchesAndTagsAreChecked() {
        assertTrue(releases.check(request("releases/app/release%2F1.x", branch("release/1.x"), false)).allowed());
        UsagePolicy.Decision feature = releases.check(request("releases/app/feature", branch("feature/x"), false));
        assertFalse(feature.allowed());
        assertThat(feature.reason(), containsString("The branch 'feature/x' of 'releases/app/feature' may not use"));
        assertFalse(releases.check(request("releases/app", null, false)).allowed());
    }

    @Test
    public void aTagOrChangeRequestNamedLikeAnAllowedBranchIsNotThatBranch() {
        UsagePolicy.Decision tag = releases.check(request("releases/app/main", tag("main"), false));
        assertFalse(tag.allowed());
        assertThat(tag.reason(), containsString("The tag 'main' of 'releases/app/main' may not use"));
        assertThat(tag.reason(), containsString("unless it starts with tag: or change-request:"));
        assertFalse(releases.check(request("releases/app/v2", branch("v2"), false)).allowed());

        UsagePolicy anyBranch = new UsagePolicy(List.of(), List.of("**"), false, false);
        assertTrue(anyBranch.check(request("app/feature", branch("feature/x"), false)).allowed());
        assertFalse(anyBranch.check(request("app/PR-7", changeRequest("PR-7"), false)).allowed());
        assertFalse(anyBranch.check(request("app/v1", tag("v1"), false)).allowed());

        UsagePolicy pullRequests = new UsagePolicy(List.of(), List.of("change-request:PR-*", "TAG:v*"), false, false);
        assertTrue(pullRequests.check(request("app/PR-7", changeRequest("PR-7"), false)).allowed());
        assertTrue(pullRequests.check(request("app/v1", tag("v1"), false)).allowed());
        assertFalse(pullRequests.check(request("app/PR-7", branch("PR-7"), false)).allowed());
    }

    @Test
    public void headPatternsParseTheirPrefix() {
        assertEquals(UsagePolicy.HeadKind.BRANCH, HeadPattern.parse("release/*").kind());
        assertEquals(UsagePolicy.HeadKind.BRANCH, HeadPattern.parse("branch:main").kind());
        assertEquals("main", HeadPattern.parse("branch:main").names().toString());
        assertEquals(UsagePolicy.HeadKind.TAG, HeadPattern.parse("tag:v*").kind());
        assertEquals(UsagePolicy.HeadKind.CHANGE_REQUEST, HeadPattern.parse("change-request:PR-*").kind());
        assertNull(HeadPattern.parse("pr:PR-*"));
    }

    @Test
    public void lockedFormatsCannotBeOverridden() {
        UsagePolicy.Decision d = releases.check(request("releases/app/main", branch("main"), true));
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("does not allow builds to choose formats"));
    }

    @Test
    public void emptyListsAllowEverything() {
        assertTrue(UsagePolicy.unrestricted().check(request("any/job", null, true)).allowed());
    }

    @Test
    public void singleStarStaysInOneSegment() {
        assertTrue(NamePattern.of("team/*").matches("team/app"));
        assertFalse(NamePattern.of("team/*").matches("team/sub/app"));
        assertTrue(NamePattern.of("**").matches("a/b/c"));
        assertTrue(NamePattern.of("releases/**").matches("releases/x"));
        assertFalse(NamePattern.of("releases/**").matches("releases-other/x"));
    }

    private static UsagePolicy.Request request(String job, UsagePolicy.Head head, boolean formats) {
        return new UsagePolicy.Request("release", job, head, formats, false);
    }

    private static UsagePolicy.Head branch(String name) {
        return new UsagePolicy.Head(name, UsagePolicy.HeadKind.BRANCH);
    }

    private static UsagePolicy.Head tag(String name) {
        return new UsagePolicy.Head(name, UsagePolicy.HeadKind.TAG);
    }

    private static UsagePolicy.Head changeRequest(String name) {
        return new UsagePolicy.Head(name, UsagePolicy.HeadKind.CHANGE_REQUEST);
    }
}
