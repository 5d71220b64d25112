package io.jenkins.plugins.hsmsigning.signing;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationVerifier;
import io.jenkins.plugins.hsmsigning.engine.io.ArtifactPaths;
import io.jenkins.plugins.hsmsigning.engine.profile.ArtifactSelection;
import io.jenkins.plugins.hsmsigning.model.SignatureReportAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import jenkins.util.BuildListenerAdapter;
import jenkins.util.VirtualFile;

/**
 * The build's archived artifacts, through its artifact manager (so custom managers work too): listed by pattern,
 * read without following links, copied to a directory on the controller for verification, and archived again.
 */
final class ArchivedArtifacts {

    private ArchivedArtifacts() {
    }

    /** The artifacts to sign, sorted; signature files and the signature report are never among them. */
    static List<String> matching(Run<?, ?> run, String includes, String excludes) throws IOException {
        VirtualFile root = run.getArtifactManager().root();
        if (!root.isDirectory()) {
            return List.of();
        }
        return ArtifactSelection.select(root.list(includes, excludes, false),
                Set.of(SignatureReportAction.REPORT_FILE));
    }

    /** Whether the build archived anything at all (its signature report aside). */
    static boolean anyArchived(Run<?, ?> run) throws IOException {
        VirtualFile root = run.getArtifactManager().root();
        if (!root.isDirectory()) {
            return false;
        }
        for (String path : root.list(ArtifactSelection.ALL, null, false)) {
            if (!path.replace('\\', '/').equals(SignatureReportAction.REPORT_FILE)) {
                return true;
            }
        }
        return false;
    }

    static boolean isFile(Run<?, ?> run, String path) throws IOException {
        return run.getArtifactManager().root().child(path).isFile();
    }

    /**
     * Reads an archived artifact, never through a symbolic link ({@link ArchivedArtifactStore#read}); approvals hash
     * what they ask about, verification copies what it checks.
     */
    static InputStream open(Run<?, ?> run, String path) throws IOException {
        try {
            return ArchivedArtifactStore.read(run, path);
        } catch (SigningException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** Copies the artifacts under {@code dir}, keeping their relative paths. */
    static void copyTo(Run<?, ?> run, List<String> paths, Path dir) throws IOException {
        for (String path : paths) {
            Path target;
            try {
                target = ArtifactPaths.resolveWithin(dir, path);
            } catch (SigningException e) {
                throw new AbortException(e.getMessage());
            }
            Files.createDirectories(target.getParent());
            try (InputStream in = open(run, path)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * Copies the artifacts under {@code dir} with the detached signature files archived beside them, for
     * verification; returns the artifact paths (the signature files are found beside them).
     */
    static List<String> copyWithSignaturesTo(Run<?, ?> run, List<String> paths, Path dir) throws IOException {
        VirtualFile root = run.getArtifactManager().root();
        List<String> files = new ArrayList<>();
        for (String path : paths) {
            files.add(path);
            for (String signature : ArtifactSelection.detachedSignatureFiles(path)) {
                if (root.child(signature).isFile()) {
                    files.add(signature);
                }
            }
        }
        copyTo(run, files, dir);
        return paths;
    }

    /** The attestation bundles ({@code *.sigstore.json}) among the archived artifacts that match, sorted. */
    static List<String> bundles(Run<?, ?> run, String includes, String excludes) throws IOException {
        VirtualFile root = run.getArtifactManager().root();
        if (!root.isDirectory()) {
            return List.of();
        }
        List<String> bundles = new ArrayList<>();
        for (String path : root.list(includes, excludes, false)) {
            String p = path.replace('\\', '/');
            if (AttestationFiles.isBundle(p)) {
                bundles.add(p);
            }
        }
        bundles.sort(null);
        return bundles;
    }

    /**
     * Copies attestation bundles under {@code dir} with what verifying them needs: the chain file beside each, and
     * the archived artifacts each names as subjects (names that lead elsewhere are never looked up).
     */
    static void copyBundlesTo(Run<?, ?> run, List<String> bundles, Path dir) throws IOException {
        copyTo(run, bundles, dir);
        Set<String> more = new LinkedHashSet<>();
        for (String bundle : bundles) {
            String chain = AttestationFiles.chainFor(bundle);
            if (isFile(run, chain)) {
                more.add(chain);
            }
            for (String subject : AttestationVerifier.claimedSubjects(dir.resolve(bundle))) {
                if (!Files.exists(dir.resolve(subject)) && isFile(run, subject)) {
                    more.add(subject);
                }
            }
        }
        copyTo(run, new ArrayList<>(more), dir);
    }

    /**
     * Archives files of {@code dir} (artifact path to path under {@code dir}); an artifact of the same path is
     * replaced, unless it is a symbolic link. Runs on the controller, which is where {@code dir} is.
     */
    static void archive(Run<?, ?> run, Path dir, Map<String, String> files, TaskListener listener)
            throws IOException, InterruptedException {
        if (files.isEmpty()) {
            return;
        }
        ArchivedArtifactStore.refuseLinkTargets(run, files.keySet());
        Launcher launcher = Jenkins.get().createLauncher(listener);
        run.pickArtifactManager().archive(new FilePath(dir.toFile()), launcher, BuildListenerAdapter.wrap(listener),
                files);
    }
}
