package io.jenkins.plugins.hsmsigning.engine.cms;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signature files in PEM, as {@code openssl cms -outform PEM} ({@code -----BEGIN CMS-----}) and {@code openssl smime
 * -pk7out} ({@code -----BEGIN PKCS7-----}) write them, turned into the DER the verifier reads.
 */
final class CmsPem {

    private static final Pattern PEM = Pattern.compile(
            "\\A\\s*-----BEGIN ([A-Z0-9 #]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----\\s*\\z");
    private static final Set<String> CMS_LABELS = Set.of("CMS", "PKCS7", "PKCS #7 SIGNED DATA");

    private CmsPem() {
    }

    /** {@code file} itself when it is not PEM; the DER inside when it is PEM-encoded CMS; otherwise an error. */
    static byte[] der(byte[] file, String name) throws SigningException {
        if (!looksLikePem(file)) {
            return file;
        }
        Matcher matcher = PEM.matcher(new String(file, StandardCharsets.US_ASCII));
        if (!matcher.matches()) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is PEM but not one CMS block:"
                    + " it must hold a single -----BEGIN CMS----- or -----BEGIN PKCS7----- block.");
        }
        if (!CMS_LABELS.contains(matcher.group(1))) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is PEM of another kind ("
                    + matcher.group(1) + "), not a CMS signature.");
        }
        try {
            return Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new SigningException(Kind.INPUT, "The signature file " + name + " is PEM whose base64 is damaged.",
                    e);
        }
    }

    private static boolean looksLikePem(byte[] file) {
        int i = 0;
        while (i < file.length && Character.isWhitespace(file[i])) {
            i++;
        }
        byte[] begin = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
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
