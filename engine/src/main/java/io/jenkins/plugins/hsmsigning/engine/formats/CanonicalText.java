package io.jenkins.plugins.hsmsigning.engine.formats;

import java.security.MessageDigest;

/**
 * Feeds a digest with text in the canonical form OpenPGP text signatures (type 0x01) cover: every line ending (LF,
 * CR or CRLF) becomes CRLF, nothing else changes. It keeps one byte of state, so the text may arrive in pieces.
 */
public final class CanonicalText {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final MessageDigest digest;
    private boolean afterCr;

    public CanonicalText(MessageDigest digest) {
        this.digest = digest;
    }

    public void update(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == CR) {
                digest.update(bytes, start, i - start);
                digest.update(CR);
                digest.update(LF);
                start = i + 1;
                afterCr = true;
            } else if (b == LF) {
                digest.update(bytes, start, i - start);
                if (!afterCr) {
                    digest.update(CR);
                    digest.update(LF);
                }
                start = i + 1;
                afterCr = false;
            } else {
                afterCr = false;
            }
        }
        digest.update(bytes, start, end - start);
    }

    public MessageDigest digest() {
        return digest;
    }
}
