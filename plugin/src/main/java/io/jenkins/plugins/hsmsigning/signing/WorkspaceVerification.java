package io.jenkins.plugins.hsmsigning.signing;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.profile.DirectoryVerifier;
import io.jenkins.plugins.hsmsigning.engine.profile.SigningSummary;
import io.jenkins.plugins.hsmsigning.engine.profile.TrustSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jenkins.agents.ControllerToAgentFileCallable;

/**
 * Verifies workspace files where the workspace is, usually on an agent. It carries only patterns and public trust
 * material as text (PEM certificates and CRLs, armored OpenPGP keys, the revocation settings): no key, no PIN, no
 * provider. With online revocation checking on, the agent asks the responders itself. The engine's classes are
 * loaded on the agent from this plugin's class loader through remoting, like any class a callable uses. The answer
 * is the report entries as the engine's JSON, a plain string, so nothing but a {@code String} crosses back.
 */
record WorkspaceVerification(String includes, String excludes, String trustAnchorsPem, String pgpCertificatesPem,
        String pgpKeysArmored, String certificatesPem, boolean systemTrust, String tsaTrustAnchorsPem,
        String revocation, String crlsPem, boolean revocationOnline) implements ControllerToAgentFileCallable<String> {

    private static final long serialVersionUID = 2L;

    WorkspaceVerification(String includes, String excludes, TrustSettings trust) {
        this(includes, excludes, trust.trustAnchorsPem(), trust.pgpCertificatesPem(), trust.pgpKeysArmored(),
                trust.certificatesPem(), trust.systemTrust(), trust.tsaTrustAnchorsPem(), trust.revocation(),
                trust.crlsPem(), trust.revocationOnline());
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
            return SigningSummary.toJson(DirectoryVerifier.verify(base, matches,
                    new TrustSettings(trustAnchorsPem, pgpCertificatesPem, pgpKeysArmored, certificatesPem,
                            systemTrust, tsaTrustAnchorsPem, revocation, crlsPem, revocationOnline)));
        } catch (SigningException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
