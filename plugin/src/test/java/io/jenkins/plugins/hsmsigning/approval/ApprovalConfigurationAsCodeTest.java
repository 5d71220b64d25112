package io.jenkins.plugins.hsmsigning.approval;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import io.jenkins.plugins.hsmsigning.engine.approval.ApprovalRules;
import java.time.Duration;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;

public class ApprovalConfigurationAsCodeTest {

    @Rule
    public JenkinsConfiguredWithCodeRule j = new JenkinsConfiguredWithCodeRule();

    @Test
    @ConfiguredWithCode("approval-configuration-as-code.yml")
    public void approvalSettingsRoundTrip() throws Exception {
        SigningProfile release = HsmSigningConfiguration.get().getProfile("release");
        ApprovalSettings approval = release.getApproval();
        assertEquals(2, approval.getApprovalsRequired());
        assertEquals("alice\nbob", approval.getApprovers());
        assertEquals("release-managers", approval.getApproverGroups());
        assertEquals(8, approval.getTimeoutHours());
        assertFalse(approval.isAdministratorsMayApprove());
        assertFalse(approval.isAuthorsMayApprove());
        ApprovalRules rules = release.approvalRules();
        assertEquals(2, rules.required());
        assertEquals(Set.of("alice", "bob"), rules.users());
        assertEquals(Duration.ofHours(8), rules.timeout());

        SigningProfile dev = HsmSigningConfiguration.get().getProfile("dev");
        assertNull(dev.getApproval());
        assertEquals(ApprovalRules.NONE, dev.approvalRules());

        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        String exported = Util.toYamlString(Util.getUnclassifiedRoot(context).get("hsmSigning"));
        assertThat(exported, containsString("approvalsRequired: 2"));
        assertThat(exported, containsString("approverGroups: \"release-managers\""));
        assertThat(exported, containsString("timeoutHours: 8"));
    }
}
