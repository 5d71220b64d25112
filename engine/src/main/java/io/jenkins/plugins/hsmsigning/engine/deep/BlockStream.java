package io.jenkins.plugins.hsmsigning.engine.deep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a file's data into a ZIP entry the way an APPX/MSIX block map describes it: in blocks of 64 KiB of
 * uncompressed data, each hashed; deflated data is flushed fully at every block boundary, so that each block's
 * compressed bytes stand alone and their number can be stated in the block map.
 */
final class BlockStream {

    /** What was written: the blocks, the CRC, the uncompressed and the stored sizes, the whole data's SHA-256. */
    record Written(List<AppxBlockMap.Block> blocks, long crc, long size, long compressed, byte[] sha256) {
    }

    private BlockStream() {
    }

    /** Copies {@code in} to {@code out}, deflated when {@code deflate}; {@code digest} hashes each block. */
    static Written write(InputStream in, OutputStream out, boolean deflate, MessageDigest digest) throws IOException {
        List<AppxBlockMap.Block> blocks = new ArrayList<>();
        CRC32 crc = new CRC32();
        MessageDigest whole = sha256();
        byte[] block = new byte[AppxBlockMap.BLOCK];
        byte[] output = new byte[AppxBlockMap.BLOCK + 1024];
        byte[] peek = new byte[1];
        Deflater deflater = deflate ? new Deflater(Deflater.DEFAULT_COMPRESSION, true) : null;
        long size = 0;
        long compressed = 0;
        try {
            int n = in.readNBytes(block, 0, block.length);
            while (true) {
                int next = n == block.length ? in.readNBytes(peek, 0, 1) : 0;
                boolean last = next == 0;
                long stored;
                if (deflater == null) {
                    out.write(block, 0, n);
                    stored = n;
                } else {
                    deflater.setInput(block, 0, n);
                    stored = last ? finish(deflater, output, out) : flush(deflater, output, out);
                }
                if (n > 0) {
                    crc.update(block, 0, n);
                    whole.update(block, 0, n);
                    digest.reset();
                    digest.update(block, 0, n);
                    blocks.add(new AppxBlockMap.Block(digest.digest(), deflater == null ? -1 : stored));
                }
                size += n;
                compressed += stored;
                if (last) {
                    break;
                }
                block[0] = peek[0];
                n = 1 + in.readNBytes(block, 1, block.length - 1);
            }
        } finally {
            if (deflater != null) {
                deflater.end();
            }
        }
        return new Written(List.copyOf(blocks), crc.getValue(), size, compressed, whole.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long flush(Deflater deflater, byte[] output, OutputStream out) throws IOException {
        long written = 0;
        int k;
        do {
            k = deflater.deflate(output, 0, output.length, Deflater.FULL_FLUSH);
            out.write(output, 0, k);
            written += k;
        } while (k == output.length);
        return written;
    }

    private static long finish(Deflater deflater, byte[] output, OutputStream out) throws IOException {
        deflater.finish();
        long written = 0;
        while (!deflater.finished()) {
            int k = deflater.deflate(output);
            out.write(output, 0, k);
            written += k;
        }
        return written;
    }
}
