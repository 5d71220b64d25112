package io.jenkins.plugins.hsmsigning.engine.attest;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every way an attestation bundle can fail, each with its own failure code and the bundle named. */
public class AttestationVerifierTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path root;
    private Path app;

    @Before
    public void artifacts() throws Exception {
        root = tmp.newFolder("artifacts").toPath();
        app = Artifacts.random(root, "app.bin", 1000);
    }

    @Test
    public void aMissingSubjectIsNamed() throws Exception {
        attest(new Subject("app.bin", Artifacts.sha256(app)));
        Files.delete(app);
        ReportEntry entry = verify(ProvenanceExpectations.NONE);
        assertEquals(Failure.SUBJECT_MISSING, entry.failure());
        assertEquals("provenance.sigstore.json: its subject 'app.bin' is not there.", entry.reason());
    }

    @Test
    public void aSubjectOutsideTheArtifactsIsNeverRead() throws Exception {
        attest(new Subject("../outside.bin", Artifacts.sha256(app)));
        Files.copy(app, root.resolveSibling("outside.bin"));
        ReportEntry entry = verify(ProvenanceExpectations.NONE);
        assertEquals(Failure.MALFORMED, entry.failure());
        assertThat(entry.reason(), containsString("'../outside.bin' is not a path inside the artifacts"));
    }

    @Test
    public void unmetExpectationsFailWithTheirCode() throws Exception {
        attest(new Subject("app.bin", Artifacts.sha256(app)));
        assertEquals(Status.VERIFIED, verify(new ProvenanceExpectations(
                "https://ci.example.org/job/app/job/main/", "https://git.example.org/app.git", "main")).status());
        ReportEntry entry = verify(new ProvenanceExpectations(null, null, "release"));
        assertEquals(Failure.BRANCH_MISMATCH, entry.failure());
        assertThat(entry.reason(), containsString("provenance.sigstore.json: it was built from branch 'main'"));
    }

    @Test
    public void whatIsNoAttestationBundleIsMalformed() throws Exception {
        List<String> reasons = new ArrayList<>();
        for (String content : List.of("not json", "{\"mediaType\":\"application/json\"}",
                "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"messageSignature\":{}}")) {
            Files.writeString(root.resolve(AttestationFiles.PROVENANCE), content);
            ReportEntry entry = verify(ProvenanceExpectations.NONE);
            assertEquals(content, Failure.MALFORMED, entry.failure());
            reasons.add(entry.reason());
        }
        assertThat(reasons.get(1), containsString("not a Sigstore bundle v0.3 (mediaType 'application/json')"));
        assertThat(reasons.get(2), containsString("holds no DSSE envelope"));
    }

    @Test
    public void aSignerTrustedThroughItsChainExpiresWithItsCertificate() throws Exception {
        attest(new Subject("app.bin", Artifacts.sha256(app)));
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(20 * 365)), ZoneOffset.UTC);
        ReportEntry entry = new AttestationVerifier(VerificationOptions.trusting(
                List.of(TestPki.shared().caCertificate())).withClock(later), List.of(), List.of(),
                ProvenanceExpectations.NONE).verify(root.resolve(AttestationFiles.PROVENANCE),
                AttestationFiles.PROVENANCE, root);
        assertEquals(entry.reason(), Failure.CERTIFICATE_EXPIRED, entry.failure());
    }

    private void attest(Subject subject) throws Exception {
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            ReportEntry entry = new Attestor(key).attest(SlsaProvenance.statement(List.of(subject),
                    StatementShapeTest.facts()), Attestor.PROVENANCE_FORMAT,
                    root.resolve(AttestationFiles.PROVENANCE), AttestationFiles.PROVENANCE);
            assertEquals(entry.reason(), Status.SIGNED, entry.status());
        }
    }

    private ReportEntry verify(ProvenanceExpectations expectations) {
        return new AttestationVerifier(VerificationOptions.trusting(List.of(TestPki.shared().caCertificate())),
                List.of(), List.of(), expectations).verify(root.resolve(AttestationFiles.PROVENANCE),
                AttestationFiles.PROVENANCE, root);
    }
}
