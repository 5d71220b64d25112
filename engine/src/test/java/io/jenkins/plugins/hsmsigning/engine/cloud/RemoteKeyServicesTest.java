package io.jenkins.plugins.hsmsigning.engine.cloud;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeyService;
import io.jenkins.plugins.hsmsigning.engine.keys.RemoteKeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every key service signs through the engine's one path, against its loopback stand-in holding a real key. */
public class RemoteKeyServicesTest {

    private static final TestPki PKI = TestPki.shared();
    private static final KeyPair GOOGLE_ACCOUNT = TestPki.generateRsa(2048);
    private static final ServiceConnection FAST = ServiceConnection.DEFAULT.retries(4, Duration.ofMillis(5));

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private LoopbackKeyServices services;

    @After
    public void stop() {
        if (services != null) {
            services.close();
        }
    }

    private X509Certificate start(KeyPair key) {
        X509Certificate certificate = PKI.issueCodeSigning(key.getPublic(), "Cloud Release");
        services = new LoopbackKeyServices(key, certificate, GOOGLE_ACCOUNT.getPublic());
        services.artifactSigningIssuer(PKI.caCertificate());
        return certificate;
    }

    @Test
    public void everyServiceSignsWhatOpensslAccepts() throws Exception {
        ExternalTool.require("openssl");
        X509Certificate leaf = start(TestPki.generateRsa(3072));
        for (Case service : cases(leaf)) {
            Path artifact = Artifacts.random(tmp.newFolder().toPath(), "app.bin", 100_000);
            try (SigningKey key = service.source.open(service.secret)) {
                assertEquals(service.name, 2, key.chain().size());
                ReportEntry entry = sign(key, artifact, Format.CMS, Format.PGP).get(0);
                assertEquals(service.name + ": " + entry.reason(), Status.SIGNED, entry.status());
            }
            assertEquals(service.name, Status.VERIFIED, verify(artifact).status());
            assertOpensslAccepts(artifact);
        }
    }

    @Test
    public void ecKeysAreReEncodedWhereTheServiceAnswersRawSignatures() throws Exception {
        ExternalTool.require("openssl");
        X509Certificate leaf = start(TestPki.generateEc("secp256r1"));
        for (Case service : cases(leaf)) {
            if (service.name.equals("Azure Artifact Signing")) {
                continue; // its certificate profiles hold RSA keys only
            }
            Path artifact = Artifacts.random(tmp.newFolder().toPath(), "app.bin", 5_000);
            try (SigningKey key = service.source.open(service.secret)) {
                assertEquals(service.name, Status.SIGNED, sign(key, artifact, Format.CMS).get(0).status());
            }
            assertOpensslAccepts(artifact);
        }
    }

    @Test
    public void temporaryAwsCredentialsSendTheirSessionTokenSigned() throws Exception {
        X509Certificate leaf = start(TestPki.generateRsa(2048));
        Path artifact = Artifacts.random(tmp.newFolder().toPath(), "app.bin", 1_000);
        RemoteKeySource good = RemoteKeySource.of(aws().sessionToken(secret(LoopbackKeyServices.AWS_SESSION_TOKEN)))
                .certificateChain(List.of(leaf, PKI.caCertificate()));
        try (SigningKey key = good.open(secret(LoopbackKeyServices.AWS_SECRET_KEY))) {
            assertEquals(Status.SIGNED, sign(key, artifact, Format.CMS).get(0).status());
        }
        RemoteKeySource wrong = RemoteKeySource.of(aws().sessionToken(secret("expired-session-token")))
                .certificateChain(List.of(leaf, PKI.caCertificate()));
        SigningException e = assertThrows(SigningException.class,
                () -> wrong.open(secret(LoopbackKeyServices.AWS_SECRET_KEY)));
        assertThat(e.getMessage(), containsString("UnrecognizedClientException"));
        assertNoSecret(e, "expired-session-token");
    }

    @Test
    public void aManagedIdentityNeedsNoSecret() throws Exception {
        start(TestPki.generateRsa(2048));
        RemoteKeySource source = RemoteKeySource.of(AzureKeyVault.of(services.url(), LoopbackKeyServices.CERTIFICATE,
                AzureIdentity.managedIdentity(services.url() + "/metadata/identity/oauth2/token", null), FAST))
                .certificateChain(List.of(PKI.caCertificate()));
        Path artifact = Artifacts.random(tmp.newFolder().toPath(), "app.bin", 1_000);
        try (SigningKey key = source.open(Secret.of(new char[0]))) {
            assertEquals(Status.SIGNED, sign(key, artifact, Format.CMS).get(0).status());
        }
        assertEquals(Status.VERIFIED, verify(artifact).status());
    }

    @Test
    public void wrongCredentialsSayWhatToFixWithoutTheSecret() throws Exception {
        X509Certificate leaf = start(TestPki.generateRsa(2048));
        RemoteKeySource azure = RemoteKeySource.of(azure());
        SigningException e = assertThrows(SigningException.class, () -> azure.open(secret("not-the-secret")));
        assertEquals(SigningException.Kind.KEY, e.kind());
        assertThat(e.getMessage(), containsString("client-1"));
        assertThat(e.getMessage(), containsString("check the tenant id, the client id and the client secret"));
        assertThat(e.getMessage(), containsString("AADSTS7000215"));
        assertNoSecret(e, "not-the-secret");

        RemoteKeySource aws = RemoteKeySource.of(aws()).certificateChain(List.of(leaf));
        SigningException wrongKey = assertThrows(SigningException.class, () -> aws.open(secret("wrong-aws-secret")));
        assertThat(wrongKey.getMessage(), containsString("InvalidSignatureException"));
        assertThat(wrongKey.getMessage(), containsString("kms:Sign"));
        assertNoSecret(wrongKey, "wrong-aws-secret");

        RemoteKeySource vault = RemoteKeySource.of(vaultAppRole()).certificateChain(List.of(leaf));
        SigningException wrongRole = assertThrows(SigningException.class, () -> vault.open(secret("wrong-id")));
        assertThat(wrongRole.getMessage(), containsString("check the role id and the secret id"));
        assertNoSecret(wrongRole, "wrong-id");
    }

    @Test
    public void keyAndCertificateNotFoundAreNamed() throws Exception {
        start(TestPki.generateRsa(2048));
        RemoteKeySource missing = RemoteKeySource.of(AzureKeyVault.of(services.url(), "other",
                AzureIdentity.servicePrincipal(LoopbackKeyServices.TENANT, LoopbackKeyServices.CLIENT_ID,
                        services.url()), FAST));
        SigningException e = assertThrows(SigningException.class,
                () -> missing.open(secret(LoopbackKeyServices.CLIENT_SECRET)));
        assertThat(e.getMessage(), containsString("get certificate other"));
        assertThat(e.getMessage(), containsString("HTTP 404"));
        assertThat(e.getMessage(), containsString("not found"));

        SigningException noChain = assertThrows(SigningException.class,
                () -> RemoteKeySource.of(aws()).open(secret(LoopbackKeyServices.AWS_SECRET_KEY)));
        assertEquals(SigningException.Kind.CONFIGURATION, noChain.kind());
        assertThat(noChain.getMessage(), containsString("holds no certificate"));
    }

    @Test
    public void throttlingAndServerErrorsAreRetriedABoundedNumberOfTimes() throws Exception {
        X509Certificate leaf = start(TestPki.generateRsa(2048));
        for (Case service : cases(leaf)) {
            try (SigningKey key = service.source.open(service.secret)) {
                services.failNextSignatures(429, 503);
                Path artifact = Artifacts.random(tmp.newFolder().toPath(), "app.bin", 1_000);
                assertEquals(service.name, Status.SIGNED, sign(key, artifact, Format.CMS).get(0).status());
                services.failNextSignatures(500, 500, 500, 500);
                Path failing = Artifacts.random(tmp.newFolder().toPath(), "app.bin", 1_000);
                ReportEntry failed = sign(key, failing, Format.CMS).get(0);
                assertEquals(service.name, Status.FAILED, failed.status());
                assertThat(service.name, failed.reason(), containsString("HTTP 500"));
                assertThat(service.name, failed.reason(), containsString("try again later"));
            }
        }
    }

    @Test
    public void aServiceThatDoesNotAnswerInTimeFailsNamingIt() throws Exception {
        X509Certificate leaf = start(TestPki.generateRsa(2048));
        RemoteKeySource slow = RemoteKeySource.of(HashiCorpVault.of(services.url(), "", "release", "", "",
                ServiceConnection.DEFAULT.timeouts(Duration.ofSeconds(5), Duration.ofMillis(300))
                        .retries(1, Duration.ZERO))).certificateChain(List.of(leaf, PKI.caCertificate()));
        services.delaySignatures(3_000);
        SigningException e = assertThrows(SigningException.class,
                () -> slow.open(secret(LoopbackKeyServices.VAULT_TOKEN)));
        assertThat(e.getMessage(), containsString("HashiCorp Vault"));
        assertThat(e.getMessage(), containsString("did not answer within"));
    }

    @Test
    public void aTokenThatExpiresInTheMiddleOfABatchIsRenewedOnce() throws Exception {
        start(TestPki.generateRsa(2048));
        Path dir = tmp.newFolder().toPath();
        List<Path> artifacts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            artifacts.add(Artifacts.random(dir, "a" + i + ".bin", 500));
        }
        try (SigningKey key = RemoteKeySource.of(azure()).certificateChain(List.of(PKI.caCertificate()))
                .open(secret(LoopbackKeyServices.CLIENT_SECRET))) {
            assertEquals(1, services.tokensIssued());
            services.revokeTokensAfter(3);
            for (Path artifact : artifacts) {
                assertEquals(Status.SIGNED, sign(key, artifact, Format.CMS).get(0).status());
            }
        }
        assertEquals(2, services.tokensIssued());
    }

    @Test
    public void concurrentSigningStaysWithinTheCap() throws Exception {
        X509Certificate leaf = start(TestPki.generateRsa(2048));
        Path dir = tmp.newFolder().toPath();
        List<Path> artifacts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            artifacts.add(Artifacts.random(dir, "a" + i + ".bin", 500));
        }
        try (SigningKey key = RemoteKeySource.of(aws()).certificateChain(List.of(leaf, PKI.caCertificate()))
                .maxConcurrentOperations(4).open(secret(LoopbackKeyServices.AWS_SECRET_KEY))) {
            List<Thread> threads = new ArrayList<>();
            List<ReportEntry> entries = java.util.Collections.synchronizedList(new ArrayList<>());
            for (Path artifact : artifacts) {
                Thread thread = new Thread(() -> {
                    try {
                        entries.addAll(sign(key, artifact, Format.CMS));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(16, entries.stream().filter(e -> e.status() == Status.SIGNED).count());
        }
        assertEquals(16 + 1, services.signatures());
    }

    @Test
    public void descriptionsNeverHoldSecrets() throws Exception {
        start(TestPki.generateRsa(2048));
        for (RemoteKeyService service : List.of(azure(), artifactSigning(), aws(), google(), vaultToken(),
                vaultAppRole(), eSigner(LoopbackKeyServices.ESIGNER_TOTP))) {
            String text = service.describe() + RemoteKeySource.of(service);
            for (String secret : List.of(LoopbackKeyServices.CLIENT_SECRET, LoopbackKeyServices.AWS_SECRET_KEY,
                    LoopbackKeyServices.VAULT_TOKEN, LoopbackKeyServices.VAULT_SECRET_ID, "PRIVATE KEY",
                    LoopbackKeyServices.ESIGNER_TOTP, LoopbackKeyServices.ESIGNER_PASSWORD)) {
                assertThat(text, not(containsString(secret)));
            }
        }
    }

    @Test
    public void digiCertKeyLockerSignsOverTlsWithTheClientCertificate() throws Exception {
        ExternalTool.require("openssl");
        KeyPair key = TestPki.generateRsa(2048);
        X509Certificate leaf = start(key);
        KeyPair client = TestPki.generateRsa(2048);
        X509Certificate clientCertificate = TlsCertificates.issue(PKI, client, "ci-client", false);
        try (LoopbackDigiCert digicert = new LoopbackDigiCert(PKI, key, leaf)) {
            ServiceConnection tls = FAST.trust(List.of(PKI.caCertificate()));
            ClientCertificate credential = ClientCertificate.of(PKI.pkcs12(client,
                    new X509Certificate[] {clientCertificate}, "client", "p12-password".toCharArray()),
                    secret("p12-password"), "client.p12");
            RemoteKeySource source = RemoteKeySource.of(DigiCertKeyLocker.of(digicert.url(),
                    LoopbackDigiCert.ALIAS, credential, tls));
            Path artifact = Artifacts.random(tmp.newFolder().toPath(), "app.bin", 10_000);
            try (SigningKey signing = source.open(secret(LoopbackDigiCert.API_KEY))) {
                assertEquals(2, signing.chain().size());
                assertEquals(Status.SIGNED, sign(signing, artifact, Format.CMS).get(0).status());
            }
            assertOpensslAccepts(artifact);

            SigningException wrongKey = assertThrows(SigningException.class,
                    () -> source.open(secret("wrong-api-key")));
            assertThat(wrongKey.getMessage(), containsString("check the API key"));
            assertNoSecret(wrongKey, "wrong-api-key");

            RemoteKeySource untrusted = RemoteKeySource.of(DigiCertKeyLocker.of(digicert.url(),
                    LoopbackDigiCert.ALIAS, credential, FAST.retries(1, Duration.ZERO)));
            SigningException tlsFailure = assertThrows(SigningException.class,
                    () -> untrusted.open(secret(LoopbackDigiCert.API_KEY)));
            assertThat(tlsFailure.getMessage(), containsString("cannot be reached"));
        }
    }

    @Test
    public void aWrongTotpSecretIsNamed() throws Exception {
        start(TestPki.generateRsa(2048));
        String wrong = Base64.getEncoder().encodeToString("another-secret".getBytes());
        SigningException e = assertThrows(SigningException.class, () -> RemoteKeySource.of(eSigner(wrong))
                .open(secret(LoopbackKeyServices.ESIGNER_PASSWORD)));
        assertThat(e.getMessage(), containsString("check the TOTP secret and this machine's clock"));
        assertNoSecret(e, wrong);
    }

    private record Case(String name, RemoteKeySource source, Secret secret) {
    }

    private List<Case> cases(X509Certificate leaf) {
        List<X509Certificate> issuers = List.of(PKI.caCertificate());
        List<X509Certificate> chain = List.of(leaf, PKI.caCertificate());
        Function<RemoteKeyService, RemoteKeySource> source = RemoteKeySource::of;
        return List.of(
                new Case("Azure Key Vault", source.apply(azure()).certificateChain(issuers),
                        secret(LoopbackKeyServices.CLIENT_SECRET)),
                new Case("Azure Artifact Signing", source.apply(artifactSigning()),
                        secret(LoopbackKeyServices.CLIENT_SECRET)),
                new Case("AWS KMS", source.apply(aws()).certificateChain(chain),
                        secret(LoopbackKeyServices.AWS_SECRET_KEY)),
                new Case("Google Cloud KMS", source.apply(google()).certificateChain(chain),
                        secret(googleKeyFile())),
                new Case("SSL.com eSigner", source.apply(eSigner(LoopbackKeyServices.ESIGNER_TOTP)),
                        secret(LoopbackKeyServices.ESIGNER_PASSWORD)),
                new Case("Vault token", source.apply(vaultToken()).certificateChain(chain),
                        secret(LoopbackKeyServices.VAULT_TOKEN)),
                new Case("Vault AppRole", source.apply(vaultAppRole()).certificateChain(chain),
                        secret(LoopbackKeyServices.VAULT_SECRET_ID)));
    }

    private AzureKeyVault azure() {
        return AzureKeyVault.of(services.url(), LoopbackKeyServices.CERTIFICATE, AzureIdentity.servicePrincipal(
                LoopbackKeyServices.TENANT, LoopbackKeyServices.CLIENT_ID, services.url()), FAST);
    }

    private AzureArtifactSigning artifactSigning() {
        return AzureArtifactSigning.of(services.url(), LoopbackKeyServices.ARTIFACT_ACCOUNT,
                LoopbackKeyServices.ARTIFACT_PROFILE, AzureIdentity.servicePrincipal(LoopbackKeyServices.TENANT,
                        LoopbackKeyServices.CLIENT_ID, services.url()), FAST);
    }

    private AwsKms aws() {
        return AwsKms.of("eu-west-1", LoopbackKeyServices.AWS_KEY_ID, services.url() + "/aws/",
                LoopbackKeyServices.AWS_ACCESS_KEY, FAST);
    }

    private SslComESigner eSigner(String totp) {
        return SslComESigner.of(services.url() + "/ssl", services.url() + "/ssl", "", LoopbackKeyServices.ESIGNER_USER,
                LoopbackKeyServices.ESIGNER_CREDENTIAL, secret(totp), FAST);
    }

    private GoogleCloudKms google() {
        return GoogleCloudKms.of(LoopbackKeyServices.GCP_KEY, services.url() + "/google/v1", FAST);
    }

    private HashiCorpVault vaultToken() {
        return HashiCorpVault.of(services.url(), "", "release", "", "", FAST);
    }

    private HashiCorpVault vaultAppRole() {
        return HashiCorpVault.of(services.url(), "transit", "release", LoopbackKeyServices.VAULT_ROLE, "", FAST);
    }

    private String googleKeyFile() {
        String pem = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(GOOGLE_ACCOUNT.getPrivate().getEncoded());
        return "{\"type\":\"service_account\",\"project_id\":\"p\",\"private_key_id\":\"k1\",\"private_key\":\""
                + "-----BEGIN PRIVATE KEY-----\\n" + pem.replace("\n", "\\n") + "\\n-----END PRIVATE KEY-----\\n\","
                + "\"client_email\":\"signer@p.iam.gserviceaccount.com\",\"token_uri\":\"" + services.url()
                + "/google/token\"}";
    }

    private static Secret secret(String value) {
        return Secret.of(value.toCharArray());
    }

    private static List<ReportEntry> sign(SigningKey key, Path artifact, Format... formats) throws Exception {
        return new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(formats)))
                .sign(artifact, artifact.getFileName().toString());
    }

    private static ReportEntry verify(Path artifact) {
        return new Verifier(VerificationOptions.trusting(List.of(PKI.caCertificate())))
                .verify(artifact, artifact.getFileName().toString()).get(0);
    }

    private void assertOpensslAccepts(Path artifact) throws Exception {
        Path ca = PKI.writeCaPem(tmp.getRoot().toPath().resolve("ca.pem"));
        ToolResult result = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-content", artifact.toString(), "-in", artifact + ".p7s", "-CAfile", ca.toString(),
                "-purpose", "any", "-out", "/dev/null"));
        assertEquals(result.output(), 0, result.exitCode());
    }

    private static void assertNoSecret(Throwable e, String secret) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString(), not(containsString(secret)));
    }
}
