package io.jenkins.plugins.hsmsigning.signing;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationVerifier;
import io.jenkins.plugins.hsmsigning.engine.attest.ProvenanceExpectations;
import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;
import io.jenkins.plugins.hsmsigning.engine.profile.DirectoryVerifier;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.agents.ControllerToAgentFileCallable;

/**
 * Verifies the workspace files and attestation bundles the controller asked about, where the workspace is, usually
 * on an agent. It carries only relative paths, public trust material as text (PEM certificates and CRLs, armored
 * OpenPGP keys, the revocation settings), the provenance expectations and, for deep verification, the inner
 * patterns: no key, no PIN, no provider. With online
 * revocation checking on, the agent asks the responders itself. The engine's classes are loaded on the agent from
 * this plugin's class loader through remoting, like any class a callable uses. The answer is the report entries as
 * the engine's JSON, a plain string; the controller keeps only entries for the paths it asked about and labels them
 * as the agent's ({@code WorkspaceResults.accept}).
 */
record WorkspaceVerification(List<String> paths, List<String> bundles, String trustAnchorsPem,
        String pgpCertificatesPem, String pgpKeysArmored, String certificatesPem, boolean systemTrust,
        String tsaTrustAnchorsPem, String revocation, String crlsPem, boolean revocationOnline,
        String expectedBuilderId, String expectedSourceRepository, String expectedBranch, boolean deep,
        String innerIncludes, String innerExcludes)
        implements ControllerToAgentFileCallable<String> {

    private static final long serialVersionUID = 4L;

    /** The paths travel as {@link ArrayList}s, a class remoting's class filter accepts everywhere. */
    WorkspaceVerification(List<String> paths, List<String> bundles, TrustSettings trust,
            ProvenanceExpectations expectations, DeepRequest deep) {
        this(new ArrayList<>(paths), new ArrayList<>(bundles), trust.trustAnchorsPem(), trust.pgpCertificatesPem(),
                trust.pgpKeysArmored(), trust.certificatesPem(), trust.systemTrust(), trust.tsaTrustAnchorsPem(),
                trust.revocation(), trust.crlsPem(), trust.revocationOnline(), expectations.builderId(),
                expectations.sourceRepository(), expectations.branch(), deep.deep(), deep.innerIncludes(),
                deep.innerExcludes());
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
        try {
            TrustSettings trust = new TrustSettings(trustAnchorsPem, pgpCertificatesPem, pgpKeysArmored,
                    certificatesPem, systemTrust, tsaTrustAnchorsPem, revocation, crlsPem, revocationOnline);
            List<ReportEntry> entries = new ArrayList<>(DirectoryVerifier.verify(workspace.toPath(), paths,
                    trust.options(), done -> { }, deep ? InnerSelection.of(innerIncludes, innerExcludes, null) : null));
            entries.addAll(attestations(trust.options(), new ProvenanceExpectations(expectedBuilderId,
                    expectedSourceRepository, expectedBranch)).verifyAll(workspace.toPath(), bundles, done -> { }));
            return SigningSummary.toJson(entries);
        } catch (SigningException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
