package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.Test;

public class AttestCommandTest extends CliTestCase {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @Test
    public void provenanceIsSignedAndVerifiedWithTheExportedKeyOrTheChain() throws Exception {
        file("dist/app.bin", "application");
        file("dist/lib.bin", "library");
        assertExit(0, attest("--builder-id", "https://ci.example.org/job/app/", "--branch", "main",
                "--source-repository", "https://git.example.org/app.git", "--source-commit", COMMIT,
                "--parameter", "RELEASE=true", "dist/*.bin"));
        assertTrue(Files.isRegularFile(work.resolve("provenance.sigstore.json")));
        assertTrue(Files.isRegularFile(work.resolve("provenance.chain.pem")));
        JsonNode statement = statement("provenance.sigstore.json");
        assertEquals("dist/app.bin", statement.path("subject").get(0).path("name").asText());
        assertEquals(COMMIT, statement.path("predicate").path("buildDefinition").path("resolvedDependencies")
                .get(0).path("digest").path("gitCommit").asText());

        List<String> key = new ArrayList<>(List.of("export-public-key"));
        key.addAll(tokenKey(SoftHsmToken.RSA3072));
        key.addAll(List.of("--out", "release.pub.pem"));
        ToolResult exported = run(key.toArray(String[]::new));
        assertExit(0, exported);
        assertThat(Files.readString(work.resolve("release.pub.pem")), containsString("-----BEGIN PUBLIC KEY-----"));

        ToolResult byKey = run("verify", "--public-key", "release.pub.pem", "provenance.sigstore.json");
        assertExit(0, byKey);
        assertThat(byKey.stdout(), containsString("VERIFIED  slsa-provenance provenance.sigstore.json"));
        assertExit(0, run("verify", "--trust", token().caPem().toString(), "--expected-builder-id",
                "https://ci.example.org/job/app/", "--expected-branch", "main", "--expected-source-repository",
                "https://git.example.org/app", "*.sigstore.json"));
    }

    @Test
    public void eachFailureIsNamedAndFailsTheVerification() throws Exception {
        file("app.bin", "application");
        assertExit(0, attest("--builder-id", "https://ci.example.org/job/app/", "--branch", "main", "app.bin"));

        ToolResult branch = run("verify", "--trust", token().caPem().toString(), "--expected-branch", "release",
                "provenance.sigstore.json");
        assertExit(1, branch);
        assertThat(branch.output(), containsString("it was built from branch 'main', not from the expected branch"
                + " release"));

        file("app.bin", "changed");
        ToolResult changed = run("verify", "--trust", token().caPem().toString(), "--json", "provenance.sigstore.json");
        assertExit(1, changed);
        assertThat(changed.stdout(), containsString("\"failure\" : \"CONTENT_MODIFIED\""));
    }

    @Test
    public void sbomAttestationsGoBesideTheSboms() throws Exception {
        file("dist/app-1.0.jar", "jar");
        file("sbom/app-1.0.cdx.json", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}");
        assertExit(0, attest("--no-provenance", "--sboms", "sbom/*.json", "dist/app-1.0.jar"));
        JsonNode statement = statement("sbom/app-1.0.cdx.json.att.sigstore.json");
        assertEquals("https://cyclonedx.org/bom", statement.path("predicateType").asText());
        assertEquals("dist/app-1.0.jar", statement.path("subject").get(0).path("name").asText());
        assertExit(0, run("verify", "--trust", token().caPem().toString(), "sbom/*.sigstore.json"));
    }

    @Test
    public void theProvenanceNeedsABuilder() throws Exception {
        file("app.bin", "application");
        ToolResult refused = attest("app.bin");
        assertExit(2, refused);
        assertThat(refused.stderr(), containsString("--builder-id"));
    }

    private ToolResult attest(String... rest) {
        List<String> args = new ArrayList<>(List.of("attest"));
        args.addAll(tokenKey(SoftHsmToken.RSA3072));
        args.addAll(List.of(rest));
        return run(args.toArray(String[]::new));
    }

    private JsonNode statement(String bundle) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(work.resolve(bundle).toFile());
        return json.readTree(Base64.getDecoder().decode(root.path("dsseEnvelope").path("payload").asText()));
    }
}
