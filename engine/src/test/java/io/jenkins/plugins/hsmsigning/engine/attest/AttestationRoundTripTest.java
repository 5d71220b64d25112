package io.jenkins.plugins.hsmsigning.engine.attest;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Provenance signed by the SoftHSM2 token's RSA and EC keys, verified by the Sigstore project's own verifier and by
 * ours; a changed payload, another key and a changed artifact are rejected by both.
 */
public class AttestationRoundTripTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path root;
    private Path app;
    private Path lib;

    @Before
    public void artifacts() throws Exception {
        root = tmp.newFolder("artifacts").toPath();
        Files.createDirectories(root.resolve("dist"));
        app = Artifacts.random(root.resolve("dist"), "app.jar", 20_000);
        lib = Artifacts.random(root.resolve("dist"), "lib.so", 3_000);
    }

    @Test
    public void rsaAndEcBundlesAreAcceptedBySigstoreJsAndByUs() throws Exception {
        SigstoreJs.require();
        for (String alias : List.of(SoftHsmToken.RSA3072, SoftHsmToken.ECP256)) {
            Path bundle = attest(alias);
            ToolResult accepted = SigstoreJs.verify(bundle, publicKeyPem(alias), app, lib);
            assertEquals(alias + ": " + accepted.output(), 0, accepted.exitCode());
            assertThat(accepted.stdout(), containsString("VERIFIED https://slsa.dev/provenance/v1"));
            ReportEntry ours = verifier(List.of(TestPki.shared().caCertificate()), List.of()).verify(bundle,
                    AttestationFiles.PROVENANCE, root);
            assertEquals(alias + ": " + ours.reason(), Status.VERIFIED, ours.status());
            assertEquals(Attestor.PROVENANCE_FORMAT, ours.format());
            assertEquals(alias.equals(SoftHsmToken.RSA3072) ? "SHA256withRSA" : "SHA256withECDSA",
                    ours.signatureAlgorithm());
        }
    }

    @Test
    public void aChangedPayloadIsRejectedByBoth() throws Exception {
        SigstoreJs.require();
        Path bundle = attest(SoftHsmToken.ECP256);
        rewritePayload(bundle, statement -> ((ObjectNode) statement.path("predicate").path("runDetails")
                .path("builder")).put("id", "https://evil.example.org/"));
        ToolResult rejected = SigstoreJs.verify(bundle, publicKeyPem(SoftHsmToken.ECP256));
        assertEquals(rejected.output(), 1, rejected.exitCode());
        assertThat(rejected.stdout(), containsString("REJECTED: SIGNATURE_ERROR"));
        ReportEntry ours = ourVerdict(bundle);
        assertEquals(ours.reason(), Failure.SIGNATURE_INVALID, ours.failure());
        assertThat(ours.reason(), containsString("changed after signing"));
    }

    @Test
    public void aChangedSubjectDigestIsRejectedByBoth() throws Exception {
        SigstoreJs.require();
        Path bundle = attest(SoftHsmToken.RSA3072);
        rewritePayload(bundle, statement -> ((ObjectNode) statement.path("subject").get(0).path("digest"))
                .put("sha256", "00".repeat(32)));
        assertEquals(1, SigstoreJs.verify(bundle, publicKeyPem(SoftHsmToken.RSA3072), app).exitCode());
        assertEquals(Failure.SIGNATURE_INVALID, ourVerdict(bundle).failure());
    }

    @Test
    public void anArtifactThatIsNotTheSubjectIsRejectedByBoth() throws Exception {
        SigstoreJs.require();
        Path bundle = attest(SoftHsmToken.RSA3072);
        Artifacts.flipByte(app, 100);
        ToolResult rejected = SigstoreJs.verify(bundle, publicKeyPem(SoftHsmToken.RSA3072), app);
        assertEquals(rejected.output(), 1, rejected.exitCode());
        assertThat(rejected.stdout(), containsString("is not a subject"));
        ReportEntry ours = ourVerdict(bundle);
        assertEquals(Failure.CONTENT_MODIFIED, ours.failure());
        assertThat(ours.reason(), containsString("its subject 'dist/app.jar' is not the file it attests"));
    }

    @Test
    public void anotherKeyIsRejectedByBoth() throws Exception {
        SigstoreJs.require();
        Path bundle = attest(SoftHsmToken.ECP256);
        ToolResult rejected = SigstoreJs.verify(bundle, publicKeyPem(SoftHsmToken.ECP384));
        assertEquals(rejected.output(), 1, rejected.exitCode());
        Files.delete(root.resolve("provenance.chain.pem"));
        ReportEntry ours = verifier(List.of(), List.of(publicKey(SoftHsmToken.ECP384))).verify(bundle,
                AttestationFiles.PROVENANCE, root);
        assertEquals(ours.reason(), Failure.UNTRUSTED, ours.failure());
    }

    @Test
    public void aPinnedKeyNeedsNoChainAndAnUntrustedChainIsRefused() throws Exception {
        Path bundle = attest(SoftHsmToken.RSA3072);
        ReportEntry untrusted = verifier(List.of(), List.of()).verify(bundle, AttestationFiles.PROVENANCE, root);
        assertEquals(untrusted.reason(), Failure.UNTRUSTED, untrusted.failure());
        Files.delete(root.resolve("provenance.chain.pem"));
        ReportEntry pinned = verifier(List.of(), List.of(publicKey(SoftHsmToken.RSA3072))).verify(bundle,
                AttestationFiles.PROVENANCE, root);
        assertEquals(pinned.reason(), Status.VERIFIED, pinned.status());
        assertNull("a bare public key names no certificate", pinned.signer());
    }

    @Test
    public void theBundleHasTheSigstoreShapeAndTheChainIsBesideIt() throws Exception {
        Path bundle = attest(SoftHsmToken.ECP256);
        JsonNode json = Statement.JSON.readTree(bundle.toFile());
        assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", json.path("mediaType").asText());
        try (SigningKey key = TestKeys.open(SoftHsmToken.ECP256)) {
            assertEquals(AttestationKeys.hint(key.certificate().getPublicKey()),
                    json.path("verificationMaterial").path("publicKey").path("hint").asText());
        }
        assertEquals(Dsse.IN_TOTO_PAYLOAD_TYPE, json.path("dsseEnvelope").path("payloadType").asText());
        assertEquals(1, json.path("dsseEnvelope").path("signatures").size());
        String chain = Files.readString(root.resolve("provenance.chain.pem"), StandardCharsets.US_ASCII);
        assertEquals(2, chain.split("BEGIN CERTIFICATE").length - 1);
    }

    @Test
    public void p384SignsWithSha384() throws Exception {
        Path bundle = attest(SoftHsmToken.ECP384);
        ReportEntry ours = ourVerdict(bundle);
        assertEquals(ours.reason(), Status.VERIFIED, ours.status());
        assertEquals("SHA384withECDSA", ours.signatureAlgorithm());
    }

    private Path attest(String alias) throws Exception {
        List<Subject> subjects = List.of(new Subject("dist/app.jar", Artifacts.sha256(app)),
                new Subject("dist/lib.so", Artifacts.sha256(lib)));
        try (SigningKey key = TestKeys.open(alias)) {
            List<ReportEntry> entries = Attestations.attest(key, root, subjects, StatementShapeTest.facts(),
                    AttestationFiles.PROVENANCE, List.of());
            assertEquals(1, entries.size());
            assertEquals(entries.get(0).reason(), Status.SIGNED, entries.get(0).status());
            assertEquals(AttestationFiles.PROVENANCE, entries.get(0).signatureFile());
        }
        return root.resolve(AttestationFiles.PROVENANCE);
    }

    private ReportEntry ourVerdict(Path bundle) {
        return verifier(List.of(TestPki.shared().caCertificate()), List.of()).verify(bundle,
                AttestationFiles.PROVENANCE, root);
    }

    static AttestationVerifier verifier(List<X509Certificate> anchors, List<PublicKey> keys) {
        return new AttestationVerifier(VerificationOptions.trusting(anchors), List.of(), keys,
                ProvenanceExpectations.NONE);
    }

    private Path publicKeyPem(String alias) throws Exception {
        Path pem = tmp.getRoot().toPath().resolve(alias + ".pub.pem");
        Files.writeString(pem, AttestationKeys.pem(publicKey(alias)), StandardCharsets.US_ASCII);
        return pem;
    }

    private static PublicKey publicKey(String alias) throws Exception {
        try (SigningKey key = TestKeys.open(alias)) {
            return key.certificate().getPublicKey();
        }
    }

    /** Changes the signed statement without re-signing it: what an attacker who edits the bundle does. */
    private static void rewritePayload(Path bundle, java.util.function.Consumer<JsonNode> edit) throws Exception {
        ObjectNode json = (ObjectNode) Statement.JSON.readTree(bundle.toFile());
        ObjectNode envelope = (ObjectNode) json.path("dsseEnvelope");
        JsonNode statement = Statement.JSON.readTree(Base64.getDecoder().decode(envelope.path("payload").asText()));
        String before = statement.toString();
        edit.accept(statement);
        assertNotEquals(before, statement.toString());
        envelope.put("payload", Base64.getEncoder().encodeToString(Statement.JSON.writeValueAsBytes(statement)));
        Files.write(bundle, Statement.JSON.writeValueAsBytes(json));
        assertTrue(Files.size(bundle) > 0);
    }
}
