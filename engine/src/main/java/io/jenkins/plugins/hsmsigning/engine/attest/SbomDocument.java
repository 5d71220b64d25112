package io.jenkins.plugins.hsmsigning.engine.attest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CycloneDX or SPDX JSON document and the artifacts it describes. It becomes the predicate of an SBOM attestation
 * whose subjects are those artifacts: the ones whose SHA-256 the document lists for what it describes (CycloneDX's
 * {@code metadata.component}, SPDX's described packages and files), else the ones whose file name it gives there.
 */
public record SbomDocument(Standard standard, JsonNode document) {

    /** SBOMs larger than this are not read: the whole document goes into the signed payload. */
    static final int MAX_SIZE = 64 * 1024 * 1024;

    /** The two SBOM formats, with the predicate types cosign's {@code --type cyclonedx} and {@code spdxjson} use. */
    public enum Standard {
        CYCLONEDX("https://cyclonedx.org/bom"),
        SPDX("https://spdx.dev/Document");

        private final String predicateType;

        Standard(String predicateType) {
            this.predicateType = predicateType;
        }

        public String predicateType() {
            return predicateType;
        }
    }

    /** Reads the file; an INPUT error naming it when it is not a CycloneDX or SPDX JSON document. */
    public static SbomDocument read(Path file, String displayPath) throws SigningException {
        JsonNode document;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_SIZE + 1);
            if (bytes.length > MAX_SIZE) {
                throw new SigningException(SigningException.Kind.INPUT, "The SBOM " + displayPath
                        + " is larger than " + MAX_SIZE + " bytes, too large to attest.");
            }
            document = Statement.JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new SigningException(SigningException.Kind.INPUT, "The SBOM " + displayPath
                    + " cannot be read as JSON (" + e.getOriginalMessage() + ").", e);
        } catch (IOException | RuntimeException e) {
            throw new SigningException(SigningException.Kind.INPUT, "The SBOM " + displayPath
                    + " cannot be read as JSON (" + Reasons.detail(e) + ").", e);
        }
        if (document != null && "CycloneDX".equals(document.path("bomFormat").asText(null))) {
            return new SbomDocument(Standard.CYCLONEDX, document);
        }
        if (document != null && document.path("spdxVersion").asText("").startsWith("SPDX-")) {
            return new SbomDocument(Standard.SPDX, document);
        }
        throw new SigningException(SigningException.Kind.INPUT, "The SBOM " + displayPath
                + " is neither a CycloneDX JSON document (bomFormat \"CycloneDX\") nor an SPDX JSON document"
                + " (spdxVersion \"SPDX-2.x\").");
    }

    /** The candidates this document describes, by digest first, else by file name; possibly none. */
    public List<Subject> describedAmong(List<Subject> candidates) {
        Set<String> digests = new HashSet<>();
        Set<String> names = new HashSet<>();
        collectDescribed(digests, names);
        List<Subject> byDigest = candidates.stream().filter(s -> digests.contains(s.sha256())).toList();
        if (!byDigest.isEmpty()) {
            return byDigest;
        }
        return candidates.stream().filter(s -> names.contains(fileName(s.name()))).toList();
    }

    public Statement statement(List<Subject> subjects) {
        return new Statement(subjects, standard.predicateType(), document);
    }

    private void collectDescribed(Set<String> digests, Set<String> names) {
        if (standard == Standard.CYCLONEDX) {
            JsonNode component = document.path("metadata").path("component");
            addName(names, component.path("name").asText(null));
            for (JsonNode hash : component.path("hashes")) {
                if ("SHA-256".equalsIgnoreCase(hash.path("alg").asText())) {
                    addDigest(digests, hash.path("content").asText(null));
                }
            }
            return;
        }
        Set<String> described = new HashSet<>();
        document.path("documentDescribes").forEach(id -> described.add(id.asText()));
        for (JsonNode relationship : document.path("relationships")) {
            if ("DESCRIBES".equals(relationship.path("relationshipType").asText())) {
                described.add(relationship.path("relatedSpdxElement").asText());
            }
        }
        List<JsonNode> elements = new ArrayList<>();
        document.path("packages").forEach(elements::add);
        document.path("files").forEach(elements::add);
        for (JsonNode element : elements) {
            if (!described.contains(element.path("SPDXID").asText())) {
                continue;
            }
            addName(names, element.path("packageFileName").asText(null));
            addName(names, element.path("fileName").asText(null));
            for (JsonNode checksum : element.path("checksums")) {
                if ("SHA256".equalsIgnoreCase(checksum.path("algorithm").asText())) {
                    addDigest(digests, checksum.path("checksumValue").asText(null));
                }
            }
        }
    }

    private static void addDigest(Set<String> digests, String hex) {
        if (hex != null) {
            digests.add(hex.toLowerCase(Locale.ROOT));
        }
    }

    private static void addName(Set<String> names, String name) {
        if (name != null && !name.isBlank()) {
            names.add(fileName(name));
        }
    }

    private static String fileName(String path) {
        String p = path.replace('\\', '/');
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
