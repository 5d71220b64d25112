package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.cloud.AwsKms;
import io.jenkins.plugins.hsmsigning.engine.cloud.AzureArtifactSigning;
import io.jenkins.plugins.hsmsigning.engine.cloud.AzureIdentity;
import io.jenkins.plugins.hsmsigning.engine.cloud.AzureKeyVault;
import io.jenkins.plugins.hsmsigning.engine.cloud.ClientCertificate;
import io.jenkins.plugins.hsmsigning.engine.cloud.DigiCertKeyLocker;
import io.jenkins.plugins.hsmsigning.engine.cloud.GoogleCloudKms;
import io.jenkins.plugins.hsmsigning.engine.cloud.HashiCorpVault;
import io.jenkins.plugins.hsmsigning.engine.cloud.ServiceConnection;
import io.jenkins.plugins.hsmsigning.engine.cloud.SslComESigner;
import io.jenkins.plugins.hsmsigning.engine.keys.CertificateChains;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options that choose a key in a network key service instead of a token, named like the plugin's key source
 * fields. The service's main secret (client secret, secret access key, service-account key file, Vault token or
 * secret id, API key, password) comes through {@code --secret-env} or {@code --secret-file}, like a PIN.
 */
final class KeyServiceOptions {

    @Option(names = "--azure-key-vault", paramLabel = "VAULT", description = "Azure Key Vault name or URL.")
    String azureKeyVault;

    @Option(names = "--azure-certificate", paramLabel = "NAME", description = "Certificate name in the Key Vault.")
    String azureCertificate;

    @Option(names = "--artifact-signing-endpoint", paramLabel = "URL",
            description = "Azure Artifact Signing regional endpoint, e.g. https://weu.codesigning.azure.net.")
    String artifactSigningEndpoint;

    @Option(names = "--artifact-signing-account", paramLabel = "NAME", description = "Artifact Signing account.")
    String artifactSigningAccount;

    @Option(names = "--artifact-signing-profile", paramLabel = "NAME",
            description = "Artifact Signing certificate profile.")
    String artifactSigningProfile;

    @Option(names = "--azure-tenant-id", paramLabel = "ID", description = "Service principal's tenant.")
    String azureTenantId;

    @Option(names = "--azure-client-id", paramLabel = "ID",
            description = "Service principal (its client secret through --secret-env/--secret-file), or a "
                    + "user-assigned managed identity with --azure-managed-identity.")
    String azureClientId;

    @Option(names = "--azure-authority", paramLabel = "URL",
            description = "Azure AD authority (default: " + AzureIdentity.DEFAULT_AUTHORITY + ").")
    String azureAuthority;

    @Option(names = "--azure-managed-identity", description = "Use this machine's managed identity.")
    boolean azureManagedIdentity;

    @Option(names = "--aws-kms-key", paramLabel = "ID", description = "AWS KMS key id, ARN or alias.")
    String awsKmsKey;

    @Option(names = "--aws-region", paramLabel = "REGION", description = "AWS region of the key.")
    String awsRegion;

    @Option(names = "--aws-access-key-id", paramLabel = "ID",
            description = "Access key (its secret through --secret-env/--secret-file); without it, the machine's "
                    + "default AWS credentials.")
    String awsAccessKeyId;

    @Option(names = "--aws-session-token-env", paramLabel = "VAR",
            description = "Environment variable holding the session token of temporary AWS credentials.")
    String awsSessionTokenEnv;

    @Option(names = "--google-kms-key", paramLabel = "NAME",
            description = "Google Cloud KMS key version: projects/P/locations/L/keyRings/R/cryptoKeys/K/"
                    + "cryptoKeyVersions/N (service-account JSON key through --secret-file).")
    String googleKmsKey;

    @Option(names = "--vault-address", paramLabel = "URL", description = "HashiCorp Vault address.")
    String vaultAddress;

    @Option(names = "--vault-key", paramLabel = "NAME", description = "Transit key name.")
    String vaultKey;

    @Option(names = "--vault-mount", paramLabel = "PATH", description = "Transit mount (default: transit).")
    String vaultMount;

    @Option(names = "--vault-role-id", paramLabel = "ID",
            description = "AppRole role id (its secret id through --secret-env/--secret-file); without it the "
                    + "secret is a Vault token.")
    String vaultRoleId;

    @Option(names = "--vault-namespace", paramLabel = "NS", description = "Vault Enterprise namespace.")
    String vaultNamespace;

    @Option(names = "--digicert-certificate", paramLabel = "ALIAS",
            description = "DigiCert KeyLocker certificate alias (API key through --secret-env/--secret-file).")
    String digicertCertificate;

    @Option(names = "--digicert-client-certificate", paramLabel = "FILE.p12",
            description = "DigiCert ONE client authentication certificate.")
    Path digicertClientCertificate;

    @Option(names = "--digicert-client-certificate-password-env", paramLabel = "VAR",
            description = "Environment variable holding the client certificate's password.")
    String digicertClientCertificatePasswordEnv;

    @Option(names = "--esigner-credential", paramLabel = "ID",
            description = "SSL.com eSigner credential id (account password through --secret-env/--secret-file).")
    String esignerCredential;

    @Option(names = "--esigner-user", paramLabel = "USER", description = "SSL.com account user name.")
    String esignerUser;

    @Option(names = "--esigner-totp-env", paramLabel = "VAR",
            description = "Environment variable holding the eSigner TOTP secret (base64).")
    String esignerTotpEnv;

    @Option(names = "--service-endpoint", paramLabel = "URL",
            description = "The key service's endpoint where it is not the public one (sovereign clouds, private "
                    + "endpoints): AWS KMS, Google Cloud KMS, DigiCert ONE, SSL.com eSigner.")
    String serviceEndpoint;

    @Option(names = "--service-login-endpoint", paramLabel = "URL",
            description = "SSL.com's login endpoint where it is not the public one.")
    String serviceLoginEndpoint;

    @Option(names = "--service-trust", paramLabel = "FILE",
            description = "PEM file with CA certificates trusted for the key service's TLS, besides Java's.")
    Path serviceTrust;

    @Option(names = "--proxy", paramLabel = "HOST:PORT",
            description = "HTTP proxy for the key service and the time-stamp authorities.")
    String proxy;

    boolean chosen() {
        return azureKeyVault != null || artifactSigningEndpoint != null || awsKmsKey != null || googleKmsKey != null
                || vaultAddress != null || digicertCertificate != null || esignerCredential != null;
    }

    /** The chosen service; exactly one may be chosen. */
    RemoteKeyService service(HsmSign app) throws SigningException {
        List<String> chosen = new ArrayList<>();
        for (String[] option : new String[][] {{azureKeyVault, "--azure-key-vault"},
                {artifactSigningEndpoint, "--artifact-signing-endpoint"}, {awsKmsKey, "--aws-kms-key"},
                {googleKmsKey, "--google-kms-key"}, {vaultAddress, "--vault-address"},
                {digicertCertificate, "--digicert-certificate"}, {esignerCredential, "--esigner-credential"}}) {
            if (option[0] != null) {
                chosen.add(option[1]);
            }
        }
        if (chosen.size() != 1) {
            throw new SigningException(Kind.CONFIGURATION, "Choose one key service; " + String.join(" and ", chosen)
                    + " were given.");
        }
        ServiceConnection connection = connection(app);
        try {
            if (azureKeyVault != null) {
                return AzureKeyVault.of(azureKeyVault, required(azureCertificate, "--azure-certificate"), azure(),
                        connection);
            }
            if (artifactSigningEndpoint != null) {
                return AzureArtifactSigning.of(artifactSigningEndpoint,
                        required(artifactSigningAccount, "--artifact-signing-account"),
                        required(artifactSigningProfile, "--artifact-signing-profile"), azure(), connection);
            }
            if (awsKmsKey != null) {
                AwsKms kms = AwsKms.of(required(awsRegion, "--aws-region"), awsKmsKey, serviceEndpoint,
                        awsAccessKeyId, connection);
                if (awsSessionTokenEnv == null) {
                    return kms;
                }
                try (Secret token = environmentSecret(app, awsSessionTokenEnv, "--aws-session-token-env")) {
                    return kms.sessionToken(token);
                }
            }
            if (googleKmsKey != null) {
                return GoogleCloudKms.of(googleKmsKey, serviceEndpoint, connection);
            }
            if (vaultAddress != null) {
                return HashiCorpVault.of(vaultAddress, vaultMount, required(vaultKey, "--vault-key"), vaultRoleId,
                        vaultNamespace, connection);
            }
            if (digicertCertificate != null) {
                return DigiCertKeyLocker.of(serviceEndpoint, digicertCertificate, clientCertificate(app),
                        connection);
            }
            try (Secret totp = environmentSecret(app, esignerTotpEnv, "--esigner-totp-env")) {
                return SslComESigner.of(serviceEndpoint, serviceLoginEndpoint, null,
                        required(esignerUser, "--esigner-user"), esignerCredential, totp, connection);
            }
        } catch (IllegalArgumentException e) {
            throw new SigningException(Kind.CONFIGURATION, e.getMessage(), e);
        }
    }

    private AzureIdentity azure() throws SigningException {
        if (azureManagedIdentity) {
            return AzureIdentity.managedIdentity(null, azureClientId);
        }
        return AzureIdentity.servicePrincipal(required(azureTenantId, "--azure-tenant-id"),
                required(azureClientId, "--azure-client-id"), azureAuthority);
    }

    private ClientCertificate clientCertificate(HsmSign app) throws SigningException {
        Path file = app.resolve(Path.of(required(digicertClientCertificate == null ? null
                : digicertClientCertificate.toString(), "--digicert-client-certificate")));
        try (Secret password = environmentSecret(app, digicertClientCertificatePasswordEnv,
                "--digicert-client-certificate-password-env")) {
            return ClientCertificate.of(Files.readAllBytes(file), password, file.toString());
        } catch (IOException e) {
            throw new SigningException(Kind.CONFIGURATION, "The client certificate " + file
                    + " given by --digicert-client-certificate cannot be read.", e);
        }
    }

    private ServiceConnection connection(HsmSign app) throws SigningException {
        ServiceConnection connection = ServiceConnection.DEFAULT;
        if (serviceTrust != null) {
            connection = connection.trust(CertificateChains.read(app.resolve(serviceTrust)));
        }
        if (proxy != null) {
            connection = connection.proxy(TsaConnectionOptions.proxy(proxy));
        }
        return connection;
    }

    private static String required(String value, String option) throws SigningException {
        if (value == null || value.isBlank()) {
            throw new SigningException(Kind.CONFIGURATION, option + " is required with this key service.");
        }
        return value;
    }

    /** The secret in the environment variable an option names, copied so that the caller can wipe it. */
    static Secret environmentSecret(HsmSign app, String variable, String option) throws SigningException {
        String name = required(variable, option);
        String value = app.environment(name);
        if (value == null) {
            throw new SigningException(Kind.CONFIGURATION, "The environment variable " + name + " given by " + option
                    + " is not set.");
        }
        char[] chars = value.toCharArray();
        try {
            return Secret.of(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
