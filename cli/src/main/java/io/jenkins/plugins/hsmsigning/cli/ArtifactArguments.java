package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner.Artifact;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Turns {@code FILE|GLOB} arguments into artifacts. Globs are expanded here, not by the shell, so that a quoted
 * {@code 'dist/**}{@code /*.exe'} means the same in every shell: java.nio glob syntax, relative to the working
 * directory, where {@code **}{@code /} also matches no directory at all, as in bash's globstar. Signature files
 * never match a glob, since they are results and not artifacts; a file named literally is taken as it is.
 */
final class ArtifactArguments {

    private ArtifactArguments() {
    }

    /** The artifacts in argument order, each once; a glob that matches nothing is an input error. */
    static List<Artifact> expand(List<String> arguments, Path workDir) throws SigningException {
        return expandWithBundles(arguments, workDir, false).artifacts();
    }

    /** Artifacts, and attestation bundles apart: named literally, or matched by a glob. */
    record Expanded(List<Artifact> artifacts, List<Artifact> bundles) {
    }

    /**
     * Like {@link #expand}, and with {@code withBundles} the attestation bundles ({@code *.sigstore.json}) named or
     * matched go into a list of their own; a glob must match an artifact or a bundle.
     */
    static Expanded expandWithBundles(List<String> arguments, Path workDir, boolean withBundles)
            throws SigningException {
        Map<Path, Artifact> artifacts = new LinkedHashMap<>();
        Map<Path, Artifact> bundles = new LinkedHashMap<>();
        for (String argument : arguments) {
            if (!isGlob(argument)) {
                Path file = workDir.resolve(argument).normalize();
                boolean bundle = withBundles && AttestationFiles.isBundle(file.getFileName().toString());
                (bundle ? bundles : artifacts).putIfAbsent(file, new Artifact(file, displayPath(file, workDir)));
                continue;
            }
            List<Path> matches = matches(argument, workDir, f -> !Formats.isSignatureFile(f));
            List<Path> bundleMatches = withBundles ? matches(argument, workDir, AttestationFiles::isBundle)
                    : List.of();
            if (matches.isEmpty() && bundleMatches.isEmpty()) {
                throw new SigningException(Kind.INPUT, "No file matches '" + argument + "' in " + workDir + ".");
            }
            for (Path file : matches) {
                artifacts.putIfAbsent(file, new Artifact(file, displayPath(file, workDir)));
            }
            for (Path file : bundleMatches) {
                bundles.putIfAbsent(file, new Artifact(file, displayPath(file, workDir)));
            }
        }
        return new Expanded(List.copyOf(artifacts.values()), List.copyOf(bundles.values()));
    }

    private static boolean isGlob(String argument) {
        return argument.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    }

    /** Walks only below the pattern's literal leading directories, and only as deep as the pattern reaches. */
    private static List<Path> matches(String glob, Path workDir, Predicate<String> fileNames)
            throws SigningException {
        String[] parts = glob.split("/", -1);
        int first = 0;
        while (!isGlob(parts[first])) {
            first++;
        }
        String literal = String.join("/", Arrays.copyOfRange(parts, 0, first));
        Path base = workDir.resolve(literal.isEmpty() && glob.startsWith("/") ? "/" : literal).normalize();
        String pattern = String.join("/", Arrays.copyOfRange(parts, first, parts.length));
        List<PathMatcher> matchers = new ArrayList<>();
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        if (pattern.contains("**/")) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace("**/", "")));
        }
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : parts.length - first;
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(base, depth)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> fileNames.test(f.getFileName().toString()))
                    .filter(f -> !f.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX))
                    .filter(f -> matchers.stream().anyMatch(m -> m.matches(base.relativize(f))))
                    .sorted().toList();
        } catch (IOException | RuntimeException e) {
            throw new SigningException(Kind.INPUT, "Cannot list the files under " + base + " to expand '" + glob
                    + "': " + e.getMessage() + ".", e);
        }
    }

    /** Relative to the working directory when below it (that is also where {@code --out} puts signatures). */
    static String displayPath(Path file, Path workDir) {
        if (file.startsWith(workDir) && !file.equals(workDir)) {
            return workDir.relativize(file).toString().replace('\\', '/');
        }
        return file.toString();
    }
}
