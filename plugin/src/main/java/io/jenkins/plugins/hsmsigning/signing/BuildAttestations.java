package io.jenkins.plugins.hsmsigning.signing;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.attest.Attestations;
import io.jenkins.plugins.hsmsigning.engine.attest.Attestor;
import io.jenkins.plugins.hsmsigning.engine.attest.Subject;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code provenance: true} and {@code sboms} add to a signing run, with the key it signed with: the SLSA
 * provenance of the signed artifacts and an attestation per archived SBOM, written into a directory of their own and
 * archived once every artifact was signed. The engine makes and signs them; this class only gathers the build's facts and files.
 */
final class BuildAttestations {

    private final Run<?, ?> run;
    private final TaskListener listener;
    private final SigningRequest request;
    private final BuildIdentity build;
    private final String profile;
    private final Path work;

    BuildAttestations(Run<?, ?> run, TaskListener listener, SigningRequest request, BuildIdentity build,
            String profile, Path work) {
        this.run = run;
        this.listener = listener;
        this.request = request;
        this.build = build;
        this.profile = profile;
        this.work = work;
    }

    /**
     * The attestations' report entries, once every artifact was signed; none when a signature failed, since a run
     * that failed publishes no provenance. The SBOMs are copied into the attestation directory: they are read as
     * documents, and are small next to the artifacts.
     */
    List<ReportEntry> attest(SigningKey key, List<ReportEntry> signed) throws IOException {
        List<Subject> subjects = Attestations.subjectsOf(signed);
        if (subjects.isEmpty()) {
            listener.getLogger().println("Nothing is attested: not every artifact was signed.");
            return List.of();
        }
        List<String> sbomPaths = List.of();
        if (request.sboms() != null) {
            String pattern = ArtifactSelection.includes(request.sboms());
            sbomPaths = ArchivedArtifacts.matching(run, pattern, null);
            if (sbomPaths.isEmpty()) {
                return List.of(ReportEntry.failure(ReportEntry.SIGN, pattern, Attestor.SBOM_FORMAT,
                        Failure.INPUT_ERROR, "No archived artifact matches the SBOM pattern '" + pattern + "'.", 0));
            }
            ArchivedArtifacts.copyTo(run, sbomPaths, work);
        }
        String provenancePath = null;
        if (request.provenance()) {
            provenancePath = AttestationFiles.provenanceBundle(this::taken);
        }
        return Attestations.attest(key, work, subjects,
                request.provenance() ? ProvenanceFacts.of(run, build, profile) : null, provenancePath, sbomPaths);
    }

    /** The bundles and the chain files beside them, to archive with the signatures. */
    static Map<String, String> files(List<ReportEntry> attestations) {
        Map<String, String> files = new LinkedHashMap<>();
        for (ReportEntry entry : attestations) {
            if (entry.status() == Status.SIGNED && entry.signatureFile() != null) {
                String chain = AttestationFiles.chainFor(entry.signatureFile());
                files.put(entry.signatureFile(), entry.signatureFile());
                files.put(chain, chain);
            }
        }
        return files;
    }

    /** An earlier signing step of this build archived a provenance under that name. */
    private boolean taken(String name) {
        try {
            return Files.exists(work.resolve(name)) || ArchivedArtifacts.isFile(run, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
