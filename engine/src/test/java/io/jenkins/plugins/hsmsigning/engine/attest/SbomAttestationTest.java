package io.jenkins.plugins.hsmsigning.engine.attest;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** One attestation per SBOM, with the SBOM's predicate type, about the artifacts the SBOM describes. */
public class SbomAttestationTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path root;
    private Subject app;
    private Subject tool;

    @Before
    public void artifacts() throws Exception {
        root = tmp.newFolder("artifacts").toPath();
        Files.createDirectories(root.resolve("dist"));
        Files.createDirectories(root.resolve("sbom"));
        app = new Subject("dist/app-1.0.jar", Artifacts.sha256(Artifacts.random(root.resolve("dist"), "app-1.0.jar",
                500)));
        tool = new Subject("dist/tool.exe", Artifacts.sha256(Artifacts.random(root.resolve("dist"), "tool.exe", 500)));
    }

    @Test
    public void cycloneDxDescribesTheArtifactWhoseHashItLists() throws Exception {
        write("sbom/bom.json", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"component\":{"
                + "\"name\":\"app\",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"" + tool.sha256().toUpperCase()
                + "\"}]}},\"components\":[]}");
        Statement statement = attestAndRead("sbom/bom.json");
        assertEquals("https://cyclonedx.org/bom", statement.predicateType());
        assertEquals(List.of(tool), statement.subjects());
        assertEquals("1.5", statement.predicate().path("specVersion").asText());
    }

    @Test
    public void spdxDescribesItsDescribedPackageByFileName() throws Exception {
        write("sbom/app.spdx.json", "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
                + "\"documentDescribes\":[\"SPDXRef-app\"],\"packages\":[{\"SPDXID\":\"SPDXRef-app\",\"name\":\"app\","
                + "\"packageFileName\":\"app-1.0.jar\"},{\"SPDXID\":\"SPDXRef-other\",\"name\":\"tool\","
                + "\"packageFileName\":\"tool.exe\"}]}");
        Statement statement = attestAndRead("sbom/app.spdx.json");
        assertEquals("https://spdx.dev/Document", statement.predicateType());
        assertEquals(List.of(app), statement.subjects());
    }

    @Test
    public void anSbomNamedAfterAnArtifactDescribesIt() {
        assertEquals(List.of(app), Attestations.byFileName(List.of(app, tool), "sbom/app-1.0.cdx.json"));
        assertEquals(List.of(app), Attestations.byFileName(List.of(app, tool), "app-1.0.jar.spdx.json"));
        assertEquals(List.of(tool), Attestations.byFileName(List.of(app, tool), "tool-sbom.json"));
    }

    @Test
    public void anSbomThatNamesNoArtifactCoversAllWithAWarning() throws Exception {
        write("sbom/bom.json", "{\"bomFormat\":\"CycloneDX\",\"metadata\":{\"component\":{\"name\":\"x\"}}}");
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            ReportEntry entry = Attestations.attest(key, root, List.of(app, tool), null, null,
                    List.of("sbom/bom.json")).get(0);
            assertEquals(entry.reason(), Status.SIGNED, entry.status());
            assertThat(entry.warnings().get(0), containsString("all 2 artifacts"));
        }
    }

    @Test
    public void aFileThatIsNoSbomFailsNamingIt() throws Exception {
        write("sbom/notes.json", "{\"hello\":1}");
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            ReportEntry entry = Attestations.attest(key, root, List.of(app), null, null, List.of("sbom/notes.json"))
                    .get(0);
            assertEquals(Failure.INPUT_ERROR, entry.failure());
            assertEquals("sbom/notes.json.att.sigstore.json", entry.path());
            assertThat(entry.reason(), containsString("The SBOM sbom/notes.json is neither a CycloneDX"));
        }
        Files.writeString(root.resolve("broken.json"), "{");
        SigningException e = assertThrows(SigningException.class,
                () -> SbomDocument.read(root.resolve("broken.json"), "broken.json"));
        assertThat(e.getMessage(), containsString("broken.json cannot be read as JSON"));
    }

    @Test
    public void sbomAttestationsVerifyLikeProvenance() throws Exception {
        write("sbom/app-1.0.cdx.json", "{\"bomFormat\":\"CycloneDX\",\"metadata\":{}}");
        attestAndRead("sbom/app-1.0.cdx.json");
        ReportEntry verified = AttestationRoundTripTest.verifier(List.of(TestPki.shared().caCertificate()), List.of())
                .verify(root.resolve("sbom/app-1.0.cdx.json.att.sigstore.json"),
                        "sbom/app-1.0.cdx.json.att.sigstore.json", root);
        assertEquals(verified.reason(), Status.VERIFIED, verified.status());
        assertEquals(Attestor.SBOM_FORMAT, verified.format());
        assertTrue(Files.isRegularFile(root.resolve("sbom/app-1.0.cdx.json.att.chain.pem")));
    }

    @Test
    public void sigstoreJsAcceptsAnSbomAttestationOfAnEcKey() throws Exception {
        SigstoreJs.require();
        write("sbom/app-1.0.spdx.json", "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\"}");
        Path key = tmp.getRoot().toPath().resolve("ec.pub.pem");
        try (SigningKey signing = TestKeys.open(SoftHsmToken.ECP256)) {
            ReportEntry entry = Attestations.attest(signing, root, List.of(app, tool), null, null,
                    List.of("sbom/app-1.0.spdx.json")).get(0);
            assertEquals(entry.reason(), Status.SIGNED, entry.status());
            Files.writeString(key, AttestationKeys.pem(signing.certificate().getPublicKey()));
        }
        ToolResult accepted = SigstoreJs.verify(root.resolve("sbom/app-1.0.spdx.json.att.sigstore.json"), key,
                root.resolve(app.name()));
        assertEquals(accepted.output(), 0, accepted.exitCode());
        assertThat(accepted.stdout(), containsString("VERIFIED https://spdx.dev/Document"));
        ToolResult otherArtifact = SigstoreJs.verify(root.resolve("sbom/app-1.0.spdx.json.att.sigstore.json"), key,
                root.resolve(tool.name()));
        assertEquals(otherArtifact.output(), 1, otherArtifact.exitCode());
    }

    private Statement attestAndRead(String sbomPath) throws Exception {
        try (SigningKey key = TestKeys.open(SoftHsmToken.RSA3072)) {
            List<ReportEntry> entries = Attestations.attest(key, root, List.of(app, tool,
                    new Subject(sbomPath, "00".repeat(32))), null, null, List.of(sbomPath));
            assertEquals(1, entries.size());
            assertEquals(entries.get(0).reason(), Status.SIGNED, entries.get(0).status());
            assertEquals(Attestor.SBOM_FORMAT, entries.get(0).format());
        }
        byte[] bundle = Files.readAllBytes(root.resolve(AttestationFiles.sbomBundle(sbomPath)));
        return Statement.parse(SigstoreBundle.parse(bundle).payload());
    }

    private void write(String path, String json) throws Exception {
        Files.writeString(root.resolve(path), json);
    }
}
