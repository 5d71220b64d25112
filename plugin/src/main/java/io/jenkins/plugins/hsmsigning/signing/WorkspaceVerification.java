package io.jenkins.plugins.hsmsigning.signing;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationVerifier;
import io.jenkins.plugins.hsmsigning.engine.attest.ProvenanceExpectations;
import io.jenkins.plugins.hsmsigning.engine.profile.DirectoryVerifier;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jenkins.agents.ControllerToAgentFileCallable;

/**
 * Verifies workspace files where the workspace is, usually on an agent, attestation bundles among them included. It
 * carries only patterns, public trust material as text (PEM certificates, armored OpenPGP keys) and the provenance
 * expectations: no key, no PIN, no provider. The engine's classes are loaded on the agent from this plugin's class
 * loader through remoting, like any class a callable uses. The answer is the report entries as the engine's JSON, a
 * plain string, so nothing but a {@code String} crosses back.
 */
record WorkspaceVerification(String includes, String excludes, String trustAnchorsPem, String pgpCertificatesPem,
        String pgpKeysArmored, String expectedBuilderId, String expectedSourceRepository, String expectedBranch)
        implements ControllerToAgentFileCallable<String> {

    private static final long serialVersionUID = 1L;

    WorkspaceVerification(String includes, String excludes, TrustSettings trust,
            ProvenanceExpectations expectations) {
        this(includes, excludes, trust.trustAnchorsPem(), trust.pgpCertificatesPem(), trust.pgpKeysArmored(),
                expectations.builderId(), expectations.sourceRepository(), expectations.branch());
    }

    /**
     * The verifier of attestation bundles for the same trust as signatures: the profile's signer certificates are
     * trusted as they are, other signers through the chain file beside the bundle and the trust anchors.
     */
    static AttestationVerifier attestations(VerificationOptions options, ProvenanceExpectations expectations) {
        return new AttestationVerifier(options, options.pgpCertificates(), List.of(), expectations);
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        if (!workspace.isDirectory()) {
            throw new IOException("The workspace " + workspace + " does not exist.");
        }
        Path base = workspace.toPath();
        List<String> matches = new ArrayList<>();
        // Ant's default excludes leave out SCM metadata (.git/**, .svn/**...), which is never signed.
        for (FilePath file : new FilePath(workspace).list(includes, excludes, true)) {
            matches.add(base.relativize(Path.of(file.getRemote())).toString().replace(File.separatorChar, '/'));
        }
        try {
            TrustSettings trust = new TrustSettings(trustAnchorsPem, pgpCertificatesPem, pgpKeysArmored);
            List<ReportEntry> entries = new ArrayList<>(DirectoryVerifier.verify(base, matches, trust));
            List<String> bundles = matches.stream().filter(AttestationFiles::isBundle).sorted().toList();
            entries.addAll(attestations(trust.options(), new ProvenanceExpectations(expectedBuilderId,
                    expectedSourceRepository, expectedBranch)).verifyAll(base, bundles, done -> { }));
            return SigningSummary.toJson(entries);
        } catch (SigningException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
