package io.jenkins.plugins.hsmsigning.engine.pgp;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.ContentHashes;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SignedResult;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.timestamp.Timestamper;
import io.jenkins.plugins.hsmsigning.engine.verify.SignerOutcomes;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * OpenPGP clear-signed documents (RFC 9580 section 7: {@code InRelease}, {@code SHA256SUMS.asc}): the text the file
 * shows is what the signatures cover, in canonical form (trailing spaces and tabs removed, CRLF line endings, no
 * line ending after the last line). Verified where they lie, as a file that carries its own signature, and as an
 * {@code .asc} beside an artifact, where the shown text must also be the artifact's text. Verification only.
 */
public final class ClearSignedDocument implements EmbeddedFormat {

    /** The digest that compares a clear-signed text with the artifact beside it. */
    static final DigestAlgorithm COMPARISON_DIGEST = DigestAlgorithm.SHA256;

    /** Clear-signed release files are text of a few megabytes at most. */
    private static final int MAX_SIZE = 64 * 1024 * 1024;
    private static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    @Override
    public Format format() {
        return Format.PGP;
    }

    /** Whether {@code file} starts (after blank lines) like a clear-signed document. */
    public static boolean isClearSignedFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return isClearSigned(in.readNBytes(256));
        }
    }

    static boolean isClearSigned(byte[] head) {
        String text = new String(head, 0, Math.min(head.length, 256), StandardCharsets.ISO_8859_1);
        if (text.startsWith("\uFEFF") || text.startsWith("\u00EF\u00BB\u00BF")) {
            text = text.substring(text.charAt(0) == '\uFEFF' ? 1 : 3);
        }
        return text.stripLeading().startsWith(BEGIN);
    }

    @Override
    public boolean recognizes(Path file) throws IOException {
        return isClearSignedFile(file);
    }

    @Override
    public boolean signsByDefault(Path file) {
        return false;
    }

    @Override
    public SignedResult sign(SigningKey key, SigningOptions options, Timestamper timestamper, Path source,
            Path target, String artifactName) throws SigningException {
        throw new SigningException(Kind.CONFIGURATION, "Clear-signed OpenPGP documents are verified, not made: sign "
                + artifactName + " with the pgp format for a detached .asc signature.");
    }

    @Override
    public List<VerificationOutcome> verify(Path file, String artifactName, VerificationOptions options)
            throws SigningException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The clear-signed document " + artifactName + " cannot be read.",
                    e);
        }
        if (bytes.length > MAX_SIZE) {
            throw new SigningException(Kind.INPUT, "The clear-signed document " + artifactName + " is larger than "
                    + MAX_SIZE + " bytes, more than any clear-signed text this verifier reads.");
        }
        return List.of(parse(bytes, artifactName).verify(options));
    }

    /**
     * A clear-signed document given as the {@code .asc} of an artifact: its signatures checked over the text it
     * shows, and that text compared with the artifact's (line endings aside).
     */
    static VerificationOutcome verifyAgainst(byte[] signatureFile, String signatureName, ContentHashes content,
            VerificationOptions options) {
        Parsed parsed;
        try {
            parsed = parse(signatureFile, signatureName);
        } catch (SigningException e) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the clear-signed document " + signatureName
                    + " is damaged: " + e.getMessage());
        }
        VerificationOutcome outcome = parsed.verify(options);
        if (outcome.valid() && !parsed.shows(content.textState(COMPARISON_DIGEST).digest())) {
            return VerificationOutcome.failed(Failure.CONTENT_MODIFIED, "the text signed in " + signatureName
                    + " is not the artifact's text: the artifact was changed after signing, or the signature "
                    + "belongs to another file", outcome.signer(), outcome.digestAlgorithm(),
                    outcome.signatureAlgorithm(), null).describedAs(outcome.algorithm(), outcome.signedAt())
                    .withSigners(outcome.signers());
        }
        return outcome;
    }

    static Parsed parse(byte[] bytes, String name) throws SigningException {
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
        int i = 0;
        while (i < lines.length && !lines[i].strip().replace("\u00EF\u00BB\u00BF", "").equals(BEGIN)) {
            if (!lines[i].isBlank() && !lines[i].startsWith("\u00EF\u00BB\u00BF")) {
                throw malformed(name, "text before the clear-signed message");
            }
            i++;
        }
        i++;
        while (i < lines.length && !trimEnd(lines[i]).isEmpty()) {
            i++;
        }
        if (i >= lines.length) {
            throw malformed(name, "no blank line after the armor headers");
        }
        i++;
        List<String> text = new ArrayList<>();
        while (i < lines.length && !trimEnd(lines[i]).equals(SIGNATURE)) {
            String line = stripCr(lines[i]);
            text.add(line.startsWith("- ") ? line.substring(2) : line);
            i++;
        }
        if (i >= lines.length) {
            throw malformed(name, "no signature after the text");
        }
        String signatureBlock = String.join("\n", Arrays.copyOfRange(lines, i, lines.length));
        List<PGPSignature> signatures = PgpFormat.parse(
                signatureBlock.getBytes(StandardCharsets.ISO_8859_1), name);
        return new Parsed(name, text, signatures);
    }

    /** The text as shown and the signatures over it. */
    record Parsed(String name, List<String> lines, List<PGPSignature> signatures) {

        VerificationOutcome verify(VerificationOptions options) {
            byte[] signed = String.join("\r\n", lines.stream().map(ClearSignedDocument::trimEnd).toList())
                    .getBytes(StandardCharsets.ISO_8859_1);
            PgpSignatureCheck check = new PgpSignatureCheck(new TrustedPgpKeys(options), name);
            List<VerificationOutcome> outcomes = new ArrayList<>();
            for (PGPSignature signature : signatures) {
                outcomes.add(check.verify(signature, digest -> {
                    MessageDigest md = digest.newDigest();
                    md.update(signed);
                    return md;
                }));
            }
            return SignerOutcomes.combine(outcomes);
        }

        /** Whether the shown text is the text whose canonical digest is {@code artifactText}. */
        boolean shows(byte[] artifactText) {
            byte[] shown = String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
            MessageDigest md = COMPARISON_DIGEST.newDigest();
            byte[] withoutFinalNewline = md.digest(shown);
            md.update(shown);
            md.update(new byte[] {'\r', '\n'});
            byte[] withFinalNewline = md.digest();
            return MessageDigest.isEqual(artifactText, withoutFinalNewline)
                    || MessageDigest.isEqual(artifactText, withFinalNewline);
        }
    }

    private static SigningException malformed(String name, String what) {
        return new SigningException(Kind.INPUT, "The clear-signed document " + name + " is damaged: " + what + ".");
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** Trailing spaces, tabs and CR are not part of a clear-signed line. */
    static String trimEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t'
                || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }
}
