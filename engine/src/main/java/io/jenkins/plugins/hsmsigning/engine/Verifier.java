package io.jenkins.plugins.hsmsigning.engine;

import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.DetachedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.pgp.ClearSignedDocument;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.SignerVerdict;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies every signature an artifact has: the embedded one its format carries and the detached {@code .p7s} and
 * {@code .asc} files beside it. The artifact is read once for all detached signatures. No signature at all is a
 * failure.
 */
public final class Verifier {

    /** Signature files are small; anything larger is not one of ours. */
    private static final int MAX_SIGNATURE_FILE = 10 * 1024 * 1024;

    private final VerificationOptions options;

    public Verifier(VerificationOptions options) {
        this.options = options;
    }

    public List<ReportEntry> verify(Path file, String displayPath) {
        long start = System.nanoTime();
        List<ReportEntry> entries = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.INPUT_ERROR,
                    "The artifact " + displayPath + " does not exist or is not a regular file.", millisSince(start)));
            return entries;
        }
        try {
            verifyEmbedded(file, displayPath, entries);
            verifyDetached(file, displayPath, entries);
        } catch (IOException e) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.INPUT_ERROR,
                    "The artifact " + displayPath + " cannot be read: " + Reasons.detail(e) + ".", millisSince(start)));
        } catch (RuntimeException e) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.MALFORMED,
                    "The artifact " + displayPath + " is malformed (" + Reasons.detail(e) + ").", millisSince(start)));
        }
        if (entries.isEmpty()) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.NO_SIGNATURE,
                    "No signature found for " + displayPath + ": it carries no embedded signature and has no "
                            + displayPath + ".p7s or " + displayPath + ".asc beside it.", millisSince(start)));
        }
        return entries;
    }

    private void verifyEmbedded(Path file, String displayPath, List<ReportEntry> entries) throws IOException {
        long start = System.nanoTime();
        EmbeddedFormat format = Formats.recognize(file);
        if (format == null && ClearSignedDocument.isClearSignedFile(file)) {
            format = new ClearSignedDocument();
        }
        if (format == null) {
            try {
                Formats.refuseDamaged(file, displayPath);
            } catch (SigningException e) {
                entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, null, Failure.MALFORMED,
                        Reasons.sentence(e.getMessage()), millisSince(start)));
            }
            return;
        }
        List<VerificationOutcome> outcomes;
        try {
            format.checkStructure(file, displayPath);
            outcomes = format.verify(file, displayPath, options);
        } catch (SigningException e) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, format.format().id(), Failure.MALFORMED,
                    Reasons.sentence(e.getMessage()), millisSince(start)));
            return;
        } catch (RuntimeException e) {
            entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, format.format().id(), Failure.MALFORMED,
                    "The " + format.format().id() + " signature of " + displayPath + " cannot be read: the file is "
                            + "malformed (" + Reasons.detail(e) + ").", millisSince(start)));
            return;
        }
        if (outcomes.isEmpty()) {
            return;
        }
        String sha256 = ContentHashes.sha256Hex(file);
        long size = Files.size(file);
        for (VerificationOutcome outcome : outcomes) {
            entries.add(entry(displayPath, size, sha256, format.format().id(), null, outcome, millisSince(start)));
        }
    }

    private void verifyDetached(Path file, String displayPath, List<ReportEntry> entries) throws IOException {
        Map<DetachedFormat, byte[]> signatures = new LinkedHashMap<>();
        EnumSet<DigestAlgorithm> digests = EnumSet.noneOf(DigestAlgorithm.class);
        EnumSet<DigestAlgorithm> textDigests = EnumSet.noneOf(DigestAlgorithm.class);
        for (DetachedFormat format : Formats.allDetached()) {
            Path signatureFile = signatureFileFor(file, displayPath, format);
            if (signatureFile == null || !Files.isRegularFile(signatureFile)) {
                continue;
            }
            String signatureName = displayPath + format.format().extension();
            long start = System.nanoTime();
            try {
                byte[] bytes = readSignature(signatureFile, signatureName);
                digests.addAll(format.digestsFor(bytes, signatureName));
                textDigests.addAll(format.textDigestsFor(bytes, signatureName));
                signatures.put(format, bytes);
            } catch (SigningException e) {
                entries.add(ReportEntry.failure(ReportEntry.VERIFY, displayPath, format.format().id(),
                        Failure.MALFORMED, Reasons.sentence(e.getMessage()), millisSince(start)));
            }
        }
        if (signatures.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        ContentHashes content = ContentHashes.of(file, digests, textDigests);
        for (Map.Entry<DetachedFormat, byte[]> s : signatures.entrySet()) {
            DetachedFormat format = s.getKey();
            String signatureName = displayPath + format.format().extension();
            VerificationOutcome outcome = format.verify(s.getValue(), signatureName, content, options);
            entries.add(entry(displayPath, content.size(), content.sha256Hex(), format.format().id(), signatureName,
                    outcome, millisSince(start)));
        }
    }

    private Path signatureFileFor(Path file, String displayPath, DetachedFormat format) {
        if (options.signatureDirectory() == null) {
            return file.resolveSibling(file.getFileName() + format.format().extension());
        }
        Path base = options.signatureDirectory().toAbsolutePath().normalize();
        Path candidate = base.resolve(displayPath + format.format().extension()).normalize();
        return candidate.startsWith(base) ? candidate : null;
    }

    private static byte[] readSignature(Path file, String name) throws SigningException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_SIGNATURE_FILE + 1);
            if (bytes.length > MAX_SIGNATURE_FILE) {
                throw new SigningException(SigningException.Kind.INPUT, "The signature file " + name
                        + " is larger than " + MAX_SIGNATURE_FILE + " bytes, so it is not a signature.");
            }
            return bytes;
        } catch (IOException e) {
            throw new SigningException(SigningException.Kind.INPUT, "The signature file " + name
                    + " cannot be read: " + e.getMessage() + ".", e);
        }
    }

    private ReportEntry entry(String displayPath, long size, String sha256, String format, String signatureFile,
            VerificationOutcome outcome, long millis) {
        Status status = status(outcome);
        List<VerificationOutcome> each = outcome.signers().isEmpty() ? List.of(outcome) : outcome.signers();
        List<SignerVerdict> signers = each.stream().map(this::verdict).toList();
        return new ReportEntry(ReportEntry.VERIFY, displayPath, size, sha256, sha256, format, signatureFile,
                outcome.signer(), null, outcome.digestAlgorithm(),
                outcome.signatureAlgorithm(), outcome.timestamp(), millis, status,
                status == Status.FAILED ? outcome.failure() : null,
                outcome.valid() ? null : Reasons.sentence(displayPath + ": " + outcome.reason() + "."),
                outcome.warnings(), outcome.chain(), algorithmName(outcome), signers);
    }

    private SignerVerdict verdict(VerificationOutcome outcome) {
        Status status = status(outcome);
        return new SignerVerdict(outcome.signer(), algorithmName(outcome), outcome.digestAlgorithm(),
                outcome.signedAt(), outcome.timestamp(), status, status == Status.FAILED ? outcome.failure() : null,
                outcome.valid() ? null : Reasons.sentence(outcome.reason() + "."));
    }

    /**
     * VERIFIED or FAILED; when inspecting, where trust is not judged, INTACT for a signature whose integrity checked
     * out and UNCHECKED for one whose key is unknown, so that inspection never reads as a trust verdict.
     */
    private Status status(VerificationOutcome outcome) {
        if (outcome.valid()) {
            return options.judgeTrust() ? Status.VERIFIED : Status.INTACT;
        }
        if (!options.judgeTrust() && outcome.failure() == Failure.UNTRUSTED) {
            return Status.UNCHECKED;
        }
        return Status.FAILED;
    }

    private static String algorithmName(VerificationOutcome outcome) {
        return outcome.algorithm() != null ? outcome.algorithm() : outcome.signatureAlgorithm();
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
