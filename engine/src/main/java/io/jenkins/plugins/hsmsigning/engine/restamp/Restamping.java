package io.jenkins.plugins.hsmsigning.engine.restamp;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeKind;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.jar.JarFormat;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.TimestampDetails;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds RFC 3161 timestamps to signatures made without one (an authority was down, or none was configured), as
 * {@code jsign timestamp} and {@code signtool timestamp} do, so that they outlive their certificate without signing
 * again: a timestamp covers the signature value, so no key is needed. Handles detached CMS signatures
 * ({@code FILE.p7s}), Authenticode signatures ({@link AuthenticodeRestamp}) and JAR signatures ({@link JarRestamp}).
 *
 * <p>Every signature is checked against its file first, so that no timestamp ever vouches for a broken signature
 * (whether its signer is trusted is left to verification); signers that carry a timestamp are left alone. The file
 * is replaced only by a complete result that verifies, with a timestamp on every signature; otherwise it is left as
 * it was.
 */
public final class Restamping {

    private static final String CMS_SUFFIX = ".p7s";

    private final Timestamper timestamper;

    /** What became of one signature: {@code timestamp} is the one added, or null when it already had one. */
    public record Restamped(String signatureName, TimestampDetails timestamp) {

        public boolean changed() {
            return timestamp != null;
        }

        static Restamped unchanged(String signatureName) {
            return new Restamped(signatureName, null);
        }

        static Restamped stamped(String signatureName, TimestampDetails timestamp) {
            return new Restamped(signatureName, timestamp);
        }
    }

    /** One embedded format's way of writing timestamps into a signed file. */
    interface EmbeddedRestamp {

        EmbeddedFormat format();

        /**
         * Writes {@code source} with a timestamp on every signature that lacks one into {@code target}, an empty file
         * beside it; returns a timestamp added, or null when none was needed ({@code target} is then discarded).
         */
        TimestampDetails stamp(Path source, Path target, String artifactName, Timestamper timestamper)
                throws SigningException;
    }

    public Restamping(Timestamper timestamper) {
        this.timestamper = timestamper;
    }

    /**
     * Timestamps the signatures of {@code file}: given a {@code .p7s}, that detached signature (checked against the
     * file beside it); given any other file, its embedded signature (Authenticode or JAR) and its {@code FILE.p7s},
     * whichever it has. One result per signature file or signed file, in that order.
     */
    public List<Restamped> restamp(Path file, String name) throws SigningException {
        if (!Files.isRegularFile(file)) {
            throw new SigningException(Kind.INPUT, "The file " + name + " does not exist or is not a file.");
        }
        if (name.endsWith(CMS_SUFFIX)) {
            String artifactName = name.substring(0, name.length() - CMS_SUFFIX.length());
            String path = file.toString();
            Path artifact = Path.of(path.substring(0, path.length() - CMS_SUFFIX.length()));
            return List.of(detached(file, name, artifact, artifactName));
        }
        List<Restamped> done = new ArrayList<>();
        EmbeddedRestamp embedded = embeddedFormatOf(file, name);
        if (embedded != null) {
            Restamped inside = embedded(file, name, embedded);
            if (inside != null) {
                done.add(inside);
            }
        }
        Path signature = Path.of(file + CMS_SUFFIX);
        if (Files.isRegularFile(signature)) {
            done.add(detached(signature, name + CMS_SUFFIX, file, name));
        }
        if (done.isEmpty()) {
            throw new SigningException(Kind.INPUT, "The file " + name + " carries no signature to timestamp: "
                    + (embedded == null ? "it is not of a format with embedded signatures (Authenticode, JAR)"
                            : "its embedded signature is missing")
                    + ", and there is no detached signature " + name + CMS_SUFFIX + " beside it.");
        }
        return done;
    }

    private Restamped detached(Path signature, String signatureName, Path artifact, String artifactName)
            throws SigningException {
        if (!Files.isRegularFile(artifact)) {
            throw new SigningException(Kind.INPUT, "The signed file " + artifactName + " of " + signatureName
                    + " does not exist, so the signature cannot be checked before it is timestamped.");
        }
        return new DetachedCmsRestamp(timestamper).restamp(signature, signatureName, artifact, artifactName);
    }

    private static EmbeddedRestamp embeddedFormatOf(Path file, String name) throws SigningException {
        try {
            Formats.refuseDamaged(file, name);
            if (AuthenticodeKind.detect(file, name) != null) {
                return new AuthenticodeRestamp();
            }
            return new JarFormat().recognizes(file) ? new JarRestamp() : null;
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The file " + name + " cannot be read: " + Reasons.detail(e)
                    + ".", e);
        }
    }

    /** The embedded signatures of {@code file} stamped through a copy beside it; null when it carries none. */
    private Restamped embedded(Path file, String name, EmbeddedRestamp restamp) throws SigningException {
        EmbeddedFormat format = restamp.format();
        format.checkStructure(file, name);
        List<VerificationOutcome> before = format.verify(file, name, VerificationOptions.inspection());
        if (before.isEmpty()) {
            return null;
        }
        for (VerificationOutcome outcome : before) {
            requireIntact(outcome, "The signature of " + name, name);
        }
        if (before.stream().allMatch(Restamping::timestamped)) {
            return Restamped.unchanged(name);
        }
        Path copy = null;
        try {
            copy = AtomicFiles.tempBeside(file);
            TimestampDetails added = restamp.stamp(file, copy, name, timestamper);
            if (added == null) {
                return Restamped.unchanged(name);
            }
            List<VerificationOutcome> after = format.verify(copy, name, VerificationOptions.inspection());
            if (after.size() != before.size()) {
                throw new SigningException(Kind.INPUT, "Timestamping " + name + " would change its signatures ("
                        + before.size() + " before, " + after.size() + " after); it was left unchanged.");
            }
            requireMoreStamped(before, after, name);
            AtomicFiles.replace(copy, file);
            return Restamped.stamped(name, added);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The timestamped " + name + " could not be written: "
                    + Reasons.detail(e) + "; it was left unchanged.", e);
        } finally {
            deleteQuietly(copy);
        }
    }

    /**
     * Refuses a signature that does not match its file. One whose signer certificate has expired is refused too, but
     * as an input error: it may well be intact, yet a timestamp made now cannot show that it was made while the
     * certificate was valid.
     */
    static void requireIntact(VerificationOutcome outcome, String signature, String file) throws SigningException {
        if (outcome.valid()) {
            return;
        }
        if (outcome.failure() == Failure.CERTIFICATE_EXPIRED) {
            throw new SigningException(Kind.INPUT, signature + " cannot be timestamped any more ("
                    + outcome.reason() + "): a timestamp made now cannot show that it was made while its "
                    + "certificate was valid, so it was left unchanged; sign it again with --tsa.");
        }
        throw new SigningException(Kind.VERIFICATION, signature + " does not match " + file + " ("
                + outcome.reason() + "), so no timestamp was added.");
    }

    /**
     * Refuses a stamped copy in which a signature does not verify or no more signatures carry a timestamp than
     * before. (A signature whose only timestamp is a legacy countersignature the verifier does not count is left as
     * it is, so "every signature" would be too strict for embedded formats.)
     */
    private static void requireMoreStamped(List<VerificationOutcome> before, List<VerificationOutcome> after,
            String name) throws SigningException {
        for (VerificationOutcome outcome : after) {
            if (!outcome.valid()) {
                throw new SigningException(Kind.INPUT, "The timestamped signature of " + name + " did not verify ("
                        + outcome.reason() + "), so it was left unchanged.");
            }
        }
        if (after.stream().filter(Restamping::timestamped).count()
                <= before.stream().filter(Restamping::timestamped).count()) {
            throw new SigningException(Kind.INPUT, "The timestamp added to " + name + " was not found when the result"
                    + " was verified, so it was left unchanged.");
        }
    }

    /** Refuses a result in which a signature does not verify or lacks a timestamp. */
    static void requireStamped(List<VerificationOutcome> outcomes, String name) throws SigningException {
        for (VerificationOutcome outcome : outcomes) {
            if (!outcome.valid() || !timestamped(outcome)) {
                throw new SigningException(Kind.INPUT, "The timestamped signature of " + name + " did not verify ("
                        + (outcome.valid() ? "a signature has no timestamp" : outcome.reason())
                        + "), so it was left unchanged.");
            }
        }
    }

    private static boolean timestamped(VerificationOutcome outcome) {
        return outcome.signers().isEmpty() ? outcome.timestamp() != null
                : outcome.signers().stream().allMatch(s -> s.timestamp() != null);
    }

    /** Copies {@code source} into the existing {@code target}, keeping the target's owner-only permissions. */
    static void copyInto(Path source, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            Files.copy(source, out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover .hsmsign-*.tmp is removed by a later run
        }
    }
}
