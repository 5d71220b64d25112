package io.jenkins.plugins.hsmsigning.engine.policy;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.Fact;
import io.jenkins.plugins.hsmsigning.engine.policy.RunOrigin.JobKind;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy.Decision;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy.Head;
import io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy.HeadKind;
import java.util.List;
import org.junit.Test;

/** The origin rules: where a build's script came from decides whether it may use a key. */
public class OriginPolicyTest {

    private static final String REPO = "https://github.com/acme/app.git";

    private static UsagePolicy policy(OriginPolicy origin) {
        return new UsagePolicy(List.of(), List.of(), false, false, origin);
    }

    private static UsagePolicy safe() {
        return policy(new OriginPolicy(true, true, false, List.of(), false, List.of()));
    }

    private static Decision check(UsagePolicy policy, String job, Head head, RunOrigin origin) {
        return policy.check(new UsagePolicy.Request("release", job, head, false, false, origin));
    }

    private static RunOrigin scmPipeline() {
        return new RunOrigin(JobKind.PIPELINE, Fact.YES, Fact.NO, List.of(REPO), "abc123", Fact.NO, Fact.NO);
    }

    private static RunOrigin inline() {
        return new RunOrigin(JobKind.PIPELINE, Fact.NO, Fact.NO, List.of(), null, Fact.NO, Fact.NO);
    }

    private static RunOrigin changeRequest(Fact fork) {
        return new RunOrigin(JobKind.MULTIBRANCH, Fact.YES, Fact.NO, List.of(REPO), "abc", Fact.YES, fork);
    }

    @Test
    public void aNewProfileAllowsNoJobUntilAnAdminNamesJobsOrChoosesAnyJob() {
        UsagePolicy fresh = policy(OriginPolicy.safeDefaults());
        Decision d = check(fresh, "app", null, scmPipeline());
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("allows no job yet"));
        assertThat(d.reason(), containsString("any job"));

        UsagePolicy named = new UsagePolicy(List.of("app"), List.of(), false, false, OriginPolicy.safeDefaults());
        assertTrue(check(named, "app", null, scmPipeline()).allowed());
    }

    @Test
    public void anInlineScriptIsRefusedByNameOfTheRule() {
        Decision d = check(safe(), "app", null, inline());
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("requires a Pipeline script from SCM"));
        assertThat(d.reason(), containsString("inline"));
        assertTrue(check(safe(), "app", null, scmPipeline()).allowed());
    }

    @Test
    public void aReplayedBuildIsRefusedUnlessTheProfileAllowsReplay() {
        RunOrigin replayed = new RunOrigin(JobKind.PIPELINE, Fact.YES, Fact.YES, List.of(REPO), null, Fact.NO,
                Fact.NO);
        Decision d = check(safe(), "app", null, replayed);
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("does not allow replayed builds"));
        assertTrue(check(policy(new OriginPolicy(true, true, true, List.of(), false, List.of())), "app", null,
                replayed).allowed());
    }

    @Test
    public void freestyleJobsSignOnlyWhenListedByFullName() {
        Decision d = check(safe(), "team/legacy", null, RunOrigin.freestyle());
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("configured in the web UI"));
        UsagePolicy listed = policy(new OriginPolicy(true, true, false, List.of(), false, List.of("team/legacy")));
        assertTrue(check(listed, "team/legacy", null, RunOrigin.freestyle()).allowed());
        assertFalse(check(listed, "team/other", null, RunOrigin.freestyle()).allowed());
    }

    @Test
    public void unknownFactsRefuse() {
        Decision d = check(safe(), "app", null, RunOrigin.unknown());
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("cannot be told"));

        RunOrigin scmButReplayUnknown = new RunOrigin(JobKind.PIPELINE, Fact.YES, Fact.UNKNOWN, List.of(REPO), null,
                Fact.NO, Fact.NO);
        assertThat(check(safe(), "app", null, scmButReplayUnknown).reason(),
                containsString("whether this build of 'app' was replayed cannot be told"));

        RunOrigin forkUnknown = changeRequest(Fact.UNKNOWN);
        assertThat(check(safe(), "app/PR-1", new Head("PR-1", HeadKind.CHANGE_REQUEST), forkUnknown).reason(),
                containsString("cannot be told"));
    }

    @Test
    public void aForkChangeRequestIsRefusedWhateverTheBranchPatternsSay() {
        UsagePolicy prs = new UsagePolicy(List.of(), List.of("change-request:**"), false, false,
                new OriginPolicy(true, true, false, List.of(), false, List.of()));
        Head pr = new Head("PR-7", HeadKind.CHANGE_REQUEST);
        Decision fork = check(prs, "app/PR-7", pr, changeRequest(Fact.YES));
        assertFalse(fork.allowed());
        assertThat(fork.reason(), containsString("does not allow change requests from forks"));
        assertTrue(check(prs, "app/PR-7", pr, changeRequest(Fact.NO)).allowed());

        UsagePolicy forksAllowed = new UsagePolicy(List.of(), List.of("change-request:**"), false, false,
                new OriginPolicy(true, true, false, List.of(), true, List.of()));
        assertTrue(check(forksAllowed, "app/PR-7", pr, changeRequest(Fact.YES)).allowed());
    }

    @Test
    public void theScriptsRepositoryMustMatchAnAllowedPattern() {
        UsagePolicy acme = policy(new OriginPolicy(true, true, false, List.of("github.com/acme/*"), false,
                List.of()));
        assertTrue(check(acme, "app", null, scmPipeline()).allowed());

        RunOrigin elsewhere = new RunOrigin(JobKind.PIPELINE, Fact.YES, Fact.NO,
                List.of("git@github.com:mallory/app.git"), null, Fact.NO, Fact.NO);
        Decision d = check(acme, "app", null, elsewhere);
        assertFalse(d.allowed());
        assertThat(d.reason(), containsString("came from 'git@github.com:mallory/app.git'"));

        RunOrigin unknownRepository = new RunOrigin(JobKind.PIPELINE, Fact.YES, Fact.NO, List.of(), null, Fact.NO,
                Fact.NO);
        assertThat(check(acme, "app", null, unknownRepository).reason(), containsString("is not known"));

        RunOrigin twoRepositories = new RunOrigin(JobKind.PIPELINE, Fact.YES, Fact.NO,
                List.of(REPO, "https://evil.example/acme/app"), null, Fact.NO, Fact.NO);
        assertFalse("every repository must match", check(acme, "app", null, twoRepositories).allowed());
    }

    @Test
    public void theDecisionListsEveryRuleWithItsValues() {
        Decision d = check(policy(new OriginPolicy(true, true, false, List.of("github.com/acme/*"), false,
                List.of())), "app", null, scmPipeline());
        List<String> rules = d.checks().stream().map(RuleCheck::rule).toList();
        assertEquals(List.of("job", "script-origin", "replay", "repository", "branch", "fork", "formats",
                "timestamps"), rules);
        RuleCheck repository = d.checks().get(3);
        assertEquals(RuleCheck.Verdict.PASSED, repository.verdict());
        assertEquals("abc123", repository.values().get("commit"));
        assertEquals("'" + REPO + "'", repository.values().get("repositories"));
        assertEquals(RuleCheck.Verdict.NOT_REQUIRED, d.checks().get(4).verdict());
        assertThat(d.describe().get(1), containsString("script-origin=passed (required=true, jobKind=pipeline,"
                + " scriptFromScm=yes"));

        Decision refused = check(safe(), "app", null, inline());
        assertEquals(RuleCheck.Verdict.FAILED, refused.checks().get(1).verdict());
        assertEquals(refused.reason(), refused.checks().get(1).reason());
    }

    @Test
    public void profilesSavedBeforeTheOriginRulesBehaveAsBefore() {
        UsagePolicy old = new UsagePolicy(List.of(), List.of(), false, false);
        assertTrue(check(old, "anything", null, RunOrigin.unknown()).allowed());
        assertEquals(List.of("every job", "every branch", "inline scripts", "replayed scripts",
                "change requests from forks"), old.openings());
        assertEquals(List.of("every branch"), new UsagePolicy(List.of("app"), List.of(), false, false,
                OriginPolicy.safeDefaults()).openings());
    }
}
