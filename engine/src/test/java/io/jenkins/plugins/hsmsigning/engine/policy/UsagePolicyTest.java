package io.jenkins.plugins.hsmsigning.engine.policy;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class UsagePolicyTest {

    private final UsagePolicy releases = new UsagePolicy(List.of("releases/**"), List.of("main", "release/*", "v*"),
            true, false);

    @Test
    public void aFolderPatternAllowsTheJobsInsideIt() {
        assertTrue(releases.check(request("releases/app/main", "main", false)).allowed());
        assertTrue(releases.check(request("releases/deep/er/app/main", "v1.2", false)).allowed());
    }

    @Test
    public void aJobOutsideTheFolderIsDeniedWithTheReason() {
        UsagePolicy.Decision d = releases.check(request("sandbox/app/main", "main", false));
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("The job 'sandbox/app/main' may not use the signing profile 'release'"));
        assertThat(d.reason(), containsString("'releases/**'"));
    }

    @Test
    public void branchesAndTagsAreChecked() {
        assertTrue(releases.check(request("releases/app/release%2F1.x", "release/1.x", false)).allowed());
        UsagePolicy.Decision feature = releases.check(request("releases/app/feature", "feature/x", false));
        assertFalse(feature.allowed());
        assertThat(feature.reason(), containsString("'feature/x'"));
        assertFalse(releases.check(request("releases/app", null, false)).allowed());
    }

    @Test
    public void lockedFormatsCannotBeOverridden() {
        UsagePolicy.Decision d = releases.check(request("releases/app/main", "main", true));
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

    private static UsagePolicy.Request request(String job, String branch, boolean formats) {
        return new UsagePolicy.Request("release", job, branch, formats, false);
    }
}
