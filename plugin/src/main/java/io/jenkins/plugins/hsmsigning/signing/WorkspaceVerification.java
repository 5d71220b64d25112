package io.jenkins.plugins.hsmsigning.signing;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.profile.DirectoryVerifier;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.agents.ControllerToAgentFileCallable;

/**
 * Verifies the workspace files the controller asked about, where the workspace is, usually on an agent. It carries
 * only relative paths and public trust material as text (PEM certificates and CRLs, armored OpenPGP keys, the
 * revocation settings): no key, no PIN, no provider. With online revocation checking on, the agent asks the
 * responders itself. The engine's classes are loaded on the agent from this plugin's class loader through remoting,
 * like any class a callable uses. The answer is the report entries as the engine's JSON, a plain string; the
 * controller keeps only entries for the paths it asked about and labels them as the agent's
 * ({@code WorkspaceResults.accept}).
 */
record WorkspaceVerification(List<String> paths, String trustAnchorsPem, String pgpCertificatesPem,
        String pgpKeysArmored, String certificatesPem, boolean systemTrust, String tsaTrustAnchorsPem,
        String revocation, String crlsPem, boolean revocationOnline) implements ControllerToAgentFileCallable<String> {

    private static final long serialVersionUID = 3L;

    /** The paths travel as an {@link ArrayList}, a class remoting's class filter accepts everywhere. */
    WorkspaceVerification(List<String> paths, TrustSettings trust) {
        this(new ArrayList<>(paths), trust.trustAnchorsPem(), trust.pgpCertificatesPem(), trust.pgpKeysArmored(),
                trust.certificatesPem(), trust.systemTrust(), trust.tsaTrustAnchorsPem(), trust.revocation(),
                trust.crlsPem(), trust.revocationOnline());
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        if (!workspace.isDirectory()) {
            throw new IOException("The workspace " + workspace + " does not exist.");
        }
        try {
            return SigningSummary.toJson(DirectoryVerifier.verify(workspace.toPath(), paths,
                    new TrustSettings(trustAnchorsPem, pgpCertificatesPem, pgpKeysArmored, certificatesPem,
                            systemTrust, tsaTrustAnchorsPem, revocation, crlsPem, revocationOnline)));
        } catch (SigningException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
