package io.jenkins.plugins.hsmsigning.keyservice;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
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
import io.jenkins.plugins.hsmsigning.config.HsmSigningConfiguration;
import io.jenkins.plugins.hsmsigning.config.KeySourceConfig;
import io.jenkins.plugins.hsmsigning.config.SigningProfile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;

/** Profiles on cloud key services and signing services, configured as code by their symbols and exported again. */
public class KeyServiceConfigurationAsCodeTest {

    @Rule
    public JenkinsConfiguredWithCodeRule j = new JenkinsConfiguredWithCodeRule();

    @Test
    @ConfiguredWithCode("key-service-configuration-as-code.yml")
    public void everyKeyServiceByItsSymbol() throws Exception {
        List<SigningProfile> profiles = new ArrayList<>(HsmSigningConfiguration.get().getProfiles());
        assertEquals(List.of("azure-vault", "azure-managed", "aws", "gcp", "vault", "artifact-signing", "digicert",
                "ssl-com"), profiles.stream().map(SigningProfile::getId).toList());

        AzureKeyVaultKeySource vault = keySource(profiles, 0, AzureKeyVaultKeySource.class);
        assertEquals("acme-release", vault.getVault());
        assertEquals("code-signing", vault.getCertificateName());
        assertEquals("https://acme-release.vault.usgovcloudapi.net", vault.getEndpoint());
        assertEquals("11111111-2222-3333-4444-555555555555", vault.getTenantId());
        assertEquals("66666666-7777-8888-9999-000000000000", vault.getClientId());
        assertEquals("https://login.microsoftonline.us", vault.getAuthority());
        assertEquals("azure-client-secret", vault.getCredentialsId());
        assertFalse(vault.isManagedIdentity());

        AzureKeyVaultKeySource managed = keySource(profiles, 1, AzureKeyVaultKeySource.class);
        assertEquals("acme-managed", managed.getVault());
        assertTrue(managed.isManagedIdentity());
        assertNull(managed.getCredentialsId());
        assertNull(managed.getEndpoint());

        AwsKmsKeySource aws = keySource(profiles, 2, AwsKmsKeySource.class);
        assertEquals("eu-west-1", aws.getRegion());
        assertEquals("arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", aws.getKeyId());
        assertEquals("aws-signer", aws.getCredentialsId());
        assertEquals("https://kms-fips.eu-west-1.amazonaws.com", aws.getEndpoint());

        GoogleCloudKmsKeySource gcp = keySource(profiles, 3, GoogleCloudKmsKeySource.class);
        assertEquals("projects/acme/locations/europe/keyRings/release/cryptoKeys/code/cryptoKeyVersions/3",
                gcp.getKeyVersion());
        assertEquals("gcp-service-account", gcp.getCredentialsId());

        HashiCorpVaultKeySource hashiCorp = keySource(profiles, 4, HashiCorpVaultKeySource.class);
        assertEquals("https://vault.example.com:8200", hashiCorp.getAddress());
        assertEquals("release", hashiCorp.getKeyName());
        assertEquals("transit-signing", hashiCorp.getMount());
        assertEquals("release-role", hashiCorp.getRoleId());
        assertEquals("acme/ci", hashiCorp.getNamespace());
        assertEquals("vault-secret-id", hashiCorp.getCredentialsId());

        AzureArtifactSigningKeySource artifactSigning = keySource(profiles, 5, AzureArtifactSigningKeySource.class);
        assertEquals("https://weu.codesigning.azure.net", artifactSigning.getEndpoint());
        assertEquals("acme-signing", artifactSigning.getAccount());
        assertEquals("public-trust", artifactSigning.getCertificateProfile());
        assertEquals("11111111-2222-3333-4444-555555555555", artifactSigning.getTenantId());
        assertEquals("azure-client-secret", artifactSigning.getCredentialsId());

        DigiCertKeyLockerKeySource digiCert = keySource(profiles, 6, DigiCertKeyLockerKeySource.class);
        assertEquals("acme-ev", digiCert.getCertificateAlias());
        assertEquals("digicert-api-key", digiCert.getCredentialsId());
        assertEquals("digicert-client-auth", digiCert.getClientCertificateCredentialsId());

        SslComESignerKeySource sslCom = keySource(profiles, 7, SslComESignerKeySource.class);
        assertEquals("8b072e22-7685-4771-b5c6-48e46614915f", sslCom.getCredentialId());
        assertEquals("ssl-com-account", sslCom.getCredentialsId());
        assertEquals("ssl-com-totp", sslCom.getTotpCredentialsId());
        assertEquals("https://login.ssl.com", sslCom.getLoginEndpoint());
        assertEquals("https://cs.ssl.com", sslCom.getEndpoint());

        // Export by symbol, then apply the export to an empty configuration: the same profiles come back.
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = Util.getUnclassifiedRoot(context).get("hsmSigning");
        String exported = Util.toYamlString(node);
        for (String symbol : List.of("azureKeyVault:", "awsKms:", "googleCloudKms:", "hashiCorpVault:",
                "azureArtifactSigning:", "digiCertKeyLocker:", "sslComESigner:")) {
            assertThat(exported, containsString(symbol));
        }
        assertThat(exported, not(containsString("$class")));
        HsmSigningConfiguration.get().setProfiles(List.of());
        String yaml = "unclassified:\n  hsmSigning:\n"
                + exported.lines().map(line -> "    " + line).collect(Collectors.joining("\n")) + "\n";
        ConfigurationAsCode.get().configureWith(
                YamlSource.of(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
        j.assertEqualDataBoundBeans(profiles, HsmSigningConfiguration.get().getProfiles());
    }

    private static <T extends KeySourceConfig> T keySource(List<SigningProfile> profiles, int index, Class<T> type) {
        KeySourceConfig keySource = profiles.get(index).getKeySource();
        assertEquals(profiles.get(index).getId(), type, keySource.getClass());
        return type.cast(keySource);
    }
}
