package io.jenkins.plugins.hsmsigning.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import hudson.model.AdministrativeMonitor;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Profiles saved before the origin settings load as they behaved; new profiles start closed; the administrative
 * monitor lists the open ones.
 */
public class LegacyProfilesTest {

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private static SigningProfile load(String fields) {
        return (SigningProfile) Jenkins.XSTREAM2.fromXML("<io.jenkins.plugins.hsmsigning.config.SigningProfile>"
                + "<id>old</id><formats/>" + fields + "<maxConcurrentOperations>4</maxConcurrentOperations>"
                + "</io.jenkins.plugins.hsmsigning.config.SigningProfile>");
    }

    @Test
    public void aSavedProfileWithoutTheNewSettingsBehavesAsBefore() throws Exception {
        SigningProfile open = load("");
        assertTrue("blank allowed jobs meant every job", open.isAnyJob());
        assertFalse(open.isScriptFromScmOnly());
        assertTrue(open.isAllowReplay());
        assertTrue(open.isAllowForkChangeRequests());
        assertTrue(open.usagePolicy().check(new io.jenkins.plugins.hsmsigning.engine.policy.UsagePolicy.Request(
                "old", "any/job", null, false, false)).allowed());

        SigningProfile named = load("<allowedJobs>releases/**</allowedJobs>");
        assertFalse("with job patterns only those jobs", named.isAnyJob());
        assertEquals(List.of("releases/**"), named.usagePolicy().allowedJobs());
    }

    @Test
    public void aNewProfileStartsClosed() {
        SigningProfile fresh = new SigningProfile("new");
        assertFalse(fresh.isAnyJob());
        assertTrue(fresh.isScriptFromScmOnly());
        assertFalse(fresh.isAllowReplay());
        assertFalse(fresh.isAllowForkChangeRequests());
    }

    @Test
    public void theMonitorListsOpenProfiles() throws Exception {
        OpenProfilesMonitor monitor = AdministrativeMonitor.all().get(OpenProfilesMonitor.class);
        HsmSigningConfiguration.get().setProfiles(List.of());
        assertFalse(monitor.isActivated());

        SigningProfile closed = new SigningProfile("closed");
        closed.setAllowedJobs("releases/app");
        closed.setAllowedBranches("main");
        HsmSigningConfiguration.get().setProfiles(List.of(closed, load("")));
        assertTrue(monitor.isActivated());
        assertEquals(1, monitor.getOpenProfiles().size());
        OpenProfilesMonitor.OpenProfile open = monitor.getOpenProfiles().get(0);
        assertEquals("old", open.id());
        assertEquals("every job, every branch, inline scripts, replayed scripts, change requests from forks",
                open.openTo());
    }
}
