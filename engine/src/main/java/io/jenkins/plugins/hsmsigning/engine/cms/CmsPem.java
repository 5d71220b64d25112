package io.jenkins.plugins.hsmsigning.engine.cms;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Signature files in PEM, as {@code openssl cms -outform PEM} ({@code -----BEGIN CMS-----}) and {@code openssl smime
 * -pk7out} ({@code -----BEGIN PKCS7-----}) write them, turned into the DER the verifier reads.
 */
public final class CmsPem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";
    private static final Set<String> CMS_LABELS = Set.of("CMS", "PKCS7", "PKCS #7 SIGNED DATA");

    private CmsPem() {
    }

    /**
     * {@code file} itself when it is not PEM; the DER inside when it is one PEM-encoded CMS block; otherwise an
     * error. Parsed by position, not by a regular expression, so that hostile white space costs linear time.
     */
    public static byte[] der(byte[] file, String name) throws SigningException {
        if (!looksLikePem(file)) {
            return file;
        }
        String text = new String(file, StandardCharsets.US_ASCII).strip();
        int labelEnd = text.indexOf(DASHES, BEGIN.length());
        String label = labelEnd < 0 ? "" : text.substring(BEGIN.length(), labelEnd);
        String footer = "-----END " + label + DASHES;
        if (labelEnd < 0 || !text.endsWith(footer) || text.length() < labelEnd + DASHES.length() + footer.length()
                || text.substring(labelEnd + DASHES.length(), text.length() - footer.length()).contains(DASHES)) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is PEM but not one CMS block:"
                    + " it must hold a single -----BEGIN CMS----- or -----BEGIN PKCS7----- block.");
        }
        if (!CMS_LABELS.contains(label)) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is PEM of another kind ("
                    + Reasons.clean(label) + "), not a CMS signature.");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(labelEnd + DASHES.length(),
                    text.length() - footer.length()));
        } catch (IllegalArgumentException e) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is PEM whose base64 is damaged.",
                    e);
        }
    }

    /**
     * {@code der} encoded as {@code original} was: DER as it is, or PEM with the original's label and line ends, so
     * that rewriting a signature file (adding a timestamp) does not change its encoding under tools that expect PEM.
     */
    public static byte[] encodedAs(byte[] original, byte[] der) {
        if (!looksLikePem(original)) {
            return der;
        }
        String text = new String(original, StandardCharsets.US_ASCII).strip();
        int labelEnd = text.indexOf(DASHES, BEGIN.length());
        String label = text.substring(BEGIN.length(), labelEnd);
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        String body = Base64.getMimeEncoder(64, newline.getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return (BEGIN + label + DASHES + newline + body + newline + "-----END " + label + DASHES + newline)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean looksLikePem(byte[] file) {
        int i = 0;
        while (i < file.length && Character.isWhitespace(file[i])) {
            i++;
        }
        byte[] begin = BEGIN.getBytes(StandardCharsets.US_ASCII);
        if (file.length - i < begin.length) {
            return false;
        }
        for (int j = 0; j < begin.length; j++) {
            if (file[i + j] != begin[j]) {
                return false;
            }
        }
        return true;
    }
}
