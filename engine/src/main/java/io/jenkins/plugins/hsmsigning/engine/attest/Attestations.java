package io.jenkins.plugins.hsmsigning.engine.attest;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.ArtifactPaths;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attesting a set of artifacts, as front-ends ask for it: their SLSA provenance as one statement, and one SBOM
 * attestation per SBOM, each signed by {@link Attestor} and written under the artifacts' root.
 */
public final class Attestations {

    private Attestations() {
    }

    /**
     * The subjects of a signing run: every artifact it signed, with the SHA-256 of its final bytes (after an embedded
     * signature). Empty when anything failed, since a run that failed publishes no provenance; attestation files
     * are never subjects.
     */
    public static List<Subject> subjectsOf(List<ReportEntry> signingEntries) {
        Map<String, String> finalDigests = new LinkedHashMap<>();
        for (ReportEntry entry : signingEntries) {
            if (!ReportEntry.SIGN.equals(entry.operation()) || AttestationFiles.isAttestationFile(entry.path())) {
                continue;
            }
            if (entry.status() != Status.SIGNED || entry.sha256After() == null) {
                return List.of();
            }
            finalDigests.put(entry.path(), entry.sha256After());
        }
        List<Subject> subjects = new ArrayList<>();
        finalDigests.forEach((path, sha256) -> subjects.add(new Subject(path, sha256)));
        return subjects;
    }

    /** Subjects hashed from the files themselves ({@code hsmsign attest}). */
    public static List<Subject> subjectsOfFiles(List<Artifact> artifacts) throws SigningException {
        List<Subject> subjects = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            try {
                subjects.add(new Subject(artifact.displayPath(), ContentHashes.sha256Hex(artifact.file())));
            } catch (IOException e) {
                throw new SigningException(SigningException.Kind.INPUT, "The artifact " + artifact.displayPath()
                        + " cannot be read: " + Reasons.detail(e) + ".", e);
            }
        }
        return subjects;
    }

    /**
     * Signs the provenance of {@code subjects} (when {@code facts} is given) into {@code provenancePath}, and an
     * attestation for each SBOM of {@code sbomPaths} beside it; all paths are relative to {@code root}.
     */
    public static List<ReportEntry> attest(SigningKey key, Path root, List<Subject> subjects, BuildFacts facts,
            String provenancePath, List<String> sbomPaths) {
        Attestor attestor = new Attestor(key);
        List<ReportEntry> entries = new ArrayList<>();
        if (facts != null) {
            entries.add(write(attestor, SlsaProvenance.statement(subjects, facts), Attestor.PROVENANCE_FORMAT, root,
                    provenancePath, List.of()));
        }
        for (String sbomPath : sbomPaths) {
            entries.add(attestSbom(attestor, root, subjects, sbomPath));
        }
        return entries;
    }

    private static ReportEntry attestSbom(Attestor attestor, Path root, List<Subject> subjects, String sbomPath) {
        String bundlePath = AttestationFiles.sbomBundle(sbomPath);
        SbomDocument sbom;
        try {
            sbom = SbomDocument.read(ArtifactPaths.resolveWithin(root, sbomPath), sbomPath);
        } catch (SigningException e) {
            return ReportEntry.failure(ReportEntry.SIGN, bundlePath, Attestor.SBOM_FORMAT, Failure.of(e.kind()),
                    Reasons.sentence(e.getMessage()), 0);
        }
        List<Subject> candidates = subjects.stream().filter(s -> !s.name().equals(sbomPath)).toList();
        List<Subject> described = sbom.describedAmong(candidates);
        List<String> warnings = new ArrayList<>();
        if (described.isEmpty()) {
            described = byFileName(candidates, sbomPath);
        }
        if (described.isEmpty()) {
            described = candidates;
            warnings.add("the SBOM names none of the artifacts by SHA-256 or file name, so its subjects are all "
                    + candidates.size() + " artifacts signed with it");
        }
        if (described.isEmpty()) {
            return ReportEntry.failure(ReportEntry.SIGN, bundlePath, Attestor.SBOM_FORMAT, Failure.INPUT_ERROR,
                    "The SBOM " + sbomPath + " has no artifact to describe: nothing else was signed.", 0);
        }
        return write(attestor, sbom.statement(described), Attestor.SBOM_FORMAT, root, bundlePath, warnings);
    }

    /**
     * The artifacts an SBOM is named after: {@code app-1.0.cdx.json} or {@code app-1.0.jar.spdx.json} describes
     * {@code app-1.0.jar}.
     */
    static List<Subject> byFileName(List<Subject> candidates, String sbomPath) {
        String stem = fileName(sbomPath).toLowerCase(Locale.ROOT).replaceFirst("\\.json$", "")
                .replaceFirst("([.-](cdx|cyclonedx|spdx|bom|sbom))+$", "");
        return candidates.stream().filter(s -> {
            String name = fileName(s.name()).toLowerCase(Locale.ROOT);
            int dot = name.lastIndexOf('.');
            return name.equals(stem) || (dot > 0 && name.substring(0, dot).equals(stem));
        }).toList();
    }

    private static ReportEntry write(Attestor attestor, Statement statement, String format, Path root,
            String bundlePath, List<String> warnings) {
        try {
            return attestor.attest(statement, format, ArtifactPaths.resolveWithin(root, bundlePath), bundlePath,
                    warnings);
        } catch (SigningException e) {
            return ReportEntry.failure(ReportEntry.SIGN, bundlePath, format, Failure.of(e.kind()),
                    Reasons.sentence(e.getMessage()), 0);
        }
    }

    private static String fileName(String path) {
        String p = path.replace('\\', '/');
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
