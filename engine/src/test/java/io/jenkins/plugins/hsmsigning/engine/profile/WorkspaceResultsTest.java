package io.jenkins.plugins.hsmsigning.engine.profile;

import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.util.List;
import org.junit.Test;

/** The controller keeps of an agent's answer only what it asked, and labels it as the agent's. */
public class WorkspaceResultsTest {

    private static final List<String> TRUST = List.of("profile:release", "step:trustAnchors");

    @Test
    public void onlyCoveredInsidePathsAreRequested() {
        List<String> listed = List.of("dist/app.exe", "dist/app.exe.p7s", "../etc/passwd", "/abs/file", "other/x",
                "dist/app.exe", "dist/lib.jar");
        assertEquals(List.of("dist/app.exe", "dist/lib.jar"),
                WorkspaceResults.requested(listed, p -> p.startsWith("dist/")));
    }

    @Test
    public void entriesForOtherPathsOrOperationsAreIgnoredAndEveryEntryIsLabelled() {
        ReportEntry forged = ReportEntries.verified("release/forged.exe").checkedAt(ReportEntry.CONTROLLER,
                List.of("profile:release"));
        ReportEntry asked = ReportEntries.verified("dist/app.exe").checkedAt(ReportEntry.CONTROLLER, List.of());
        ReportEntry signing = ReportEntries.embedded("dist/app.exe");
        WorkspaceResults.Accepted accepted = WorkspaceResults.accept(List.of(forged, asked, signing),
                List.of("dist/app.exe", "dist/lib.jar"), "agent:linux-1", TRUST);
        assertEquals(2, accepted.ignored());
        assertEquals(2, accepted.entries().size());

        ReportEntry kept = accepted.entries().get(0);
        assertEquals("dist/app.exe", kept.path());
        assertEquals(Status.VERIFIED, kept.status());
        assertEquals("the agent cannot pass itself off as the controller", "agent:linux-1", kept.checkedOn());
        assertEquals(TRUST, kept.trust());

        ReportEntry missing = accepted.entries().get(1);
        assertEquals("dist/lib.jar", missing.path());
        assertEquals(Status.FAILED, missing.status());
        assertEquals(Failure.INPUT_ERROR, missing.failure());
        assertEquals("The agent reported no result for dist/lib.jar.", missing.reason());
        assertEquals("agent:linux-1", missing.checkedOn());
    }

    @Test
    public void filesInsideAnAskedContainerAreKeptOnlyForDeepVerification() {
        List<ReportEntry> reported = List.of(ReportEntries.verified("dist/app.zip!/bin/app.exe"),
                ReportEntries.verified("dist/app.zip"), ReportEntries.verified("other.zip!/bin/forged.exe"));

        WorkspaceResults.Accepted deep = WorkspaceResults.accept(reported, List.of("dist/app.zip"), "agent:linux-1",
                TRUST, true);
        assertEquals(List.of("dist/app.zip!/bin/app.exe", "dist/app.zip"),
                deep.entries().stream().map(ReportEntry::path).toList());
        assertEquals(1, deep.ignored());
        assertEquals(1, DirectoryVerifier.artifactCount(deep.entries()));

        WorkspaceResults.Accepted shallow = WorkspaceResults.accept(reported, List.of("dist/app.zip"),
                "agent:linux-1", TRUST);
        assertEquals(List.of("dist/app.zip"), shallow.entries().stream().map(ReportEntry::path).toList());
        assertEquals(2, shallow.ignored());
    }

    @Test
    public void trustLabelsNameTheProfileAndWhatTheStepGave() {
        assertEquals(List.of("profile:release"), TrustLabels.of("release", false, false));
        assertEquals(List.of("profile:release", "step:trustAnchors", "step:pgpKeys"),
                TrustLabels.of("release", true, true));
        assertEquals(List.of("step:trustAnchors"), TrustLabels.of(null, true, false));
    }
}
