package io.jenkins.plugins.hsmsigning.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.Util;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.casc.yaml.YamlSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;

public class ConfigurationAsCodeTest {

    @Rule
    public JenkinsConfiguredWithCodeRule j = new JenkinsConfiguredWithCodeRule();

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    public void profilesRoundTrip() throws Exception {
        HsmSigningConfiguration config = HsmSigningConfiguration.get();
        List<SigningProfile> profiles = new ArrayList<>(config.getProfiles());
        assertEquals(2, profiles.size());

        SigningProfile release = profiles.get(0);
        assertEquals("release", release.getId());
        assertEquals("Release builds, EV certificate on the HSM", release.getDescription());
        assertThat(release.getKeySource(), instanceOf(Pkcs11KeySourceConfig.class));
        Pkcs11KeySourceConfig token = (Pkcs11KeySourceConfig) release.getKeySource();
        assertEquals("/usr/lib/softhsm/libsofthsm2.so", token.getLibrary());
        assertEquals("release-token", token.getTokenLabel());
        assertNull(token.getSlot());
        assertEquals("code-signing", token.getKeyAlias());
        assertEquals("hsm-pin", token.getPinCredentialsId());
        assertEquals(List.of("cms", "authenticode"), release.getFormats());
        assertEquals("SHA-384", release.getDigestAlgorithm());
        assertEquals("http://timestamp.example.com/rfc3161", release.getTsaUrls());
        assertTrue(release.isTimestampRequired());
        assertEquals(2, release.getMaxConcurrentOperations());
        assertTrue(release.isSystemTrust());
        assertEquals("strict", release.getRevocation());
        assertEquals("/var/lib/jenkins/crl/release-ca.crl", release.getCrlFiles());
        assertTrue(release.isRevocationOnline());
        assertEquals("releases/**", release.getAllowedJobs());
        assertEquals("main\ntag:v*", release.getAllowedBranches());
        assertTrue(release.isLockFormats());
        assertTrue(release.isLockTsa());
        assertEquals(List.of("main", "tag:v*"), release.usagePolicy().allowedBranches());
        assertFalse(release.isAnyJob());
        assertTrue(release.isScriptFromScmOnly());
        assertFalse(release.isAllowReplay());
        assertFalse(release.isAllowForkChangeRequests());
        assertEquals("https://github.com/acme/app\ngithub.com/acme/tools-*", release.getAllowedRepositories());
        assertEquals("releases/legacy-installer", release.getFreestyleJobs());
        assertEquals("timestamp.digicert.com\n*.example.com", config.getAllowedTsaHosts());

        SigningProfile dev = profiles.get(1);
        assertEquals("dev", dev.getId());
        Pkcs12KeySourceConfig keystore = (Pkcs12KeySourceConfig) dev.getKeySource();
        assertEquals("dev-keystore", keystore.getCredentialsId());
        assertEquals("dev", keystore.getKeyAlias());
        assertEquals(List.of("pgp"), dev.getFormats());
        assertNull(dev.getAllowedJobs());
        assertFalse(dev.isLockFormats());
        assertTrue(dev.isAnyJob());
        assertFalse(dev.isScriptFromScmOnly());
        assertEquals("soft", dev.getRevocation());
        assertFalse(dev.isRevocationOnline());

        // Export, then apply the export to an empty configuration: the same profiles come back.
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = Util.getUnclassifiedRoot(context).get("hsmSigning");
        String exported = Util.toYamlString(node);
        assertThat(exported, containsString("pkcs11:"));
        assertThat(exported, containsString("pkcs12:"));
        assertThat(exported, containsString("pinCredentialsId: \"hsm-pin\""));

        assertThat(exported, containsString("allowedTsaHosts:"));
        config.setProfiles(List.of());
        config.setAllowedTsaHosts(null);
        String yaml = "unclassified:\n  hsmSigning:\n"
                + exported.lines().map(line -> "    " + line).collect(Collectors.joining("\n")) + "\n";
        ConfigurationAsCode.get().configureWith(
                YamlSource.of(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
        j.assertEqualDataBoundBeans(profiles, config.getProfiles());
        assertEquals("timestamp.digicert.com\n*.example.com", config.getAllowedTsaHosts());

        // The global configuration form keeps them unchanged too.
        j.configRoundtrip();
        j.assertEqualDataBoundBeans(profiles, HsmSigningConfiguration.get().getProfiles());
        assertEquals("timestamp.digicert.com\n*.example.com", HsmSigningConfiguration.get().getAllowedTsaHosts());
    }
}
