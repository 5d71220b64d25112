package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * Copies a PE file into the file that is signed in its place and, from the same read, computes both the SHA-256 of
 * the artifact (for the report) and its Authenticode image digest (what the signature covers): everything but the
 * checksum field, the certificate table entry and the certificate table, padded to 8 bytes when there is no table,
 * as jsign's {@code PEFile.computeDigest} hashes it. For large files the SHA-256 runs on the common pool beside the
 * image digest, since hashing is what the copy waits for. The layout comes from the headers read before the copy, which
 * {@link PeLayout#check} has already checked; should the file change in between, the digest no longer matches the
 * copy and the engine's check of the signed copy refuses it, leaving the artifact untouched.
 */
final class PeImageCopy {

    private static final int BUFFER = 256 * 1024;
    /** Below this, handing a buffer to a second thread costs more than hashing it. */
    private static final long PARALLEL_FROM = 4L << 20;

    /** Where the parts left out of the image digest lie: {start, end} pairs in file order. */
    private final long[][] skipped;
    private final boolean padded;

    private PeImageCopy(long[][] skipped, boolean padded) {
        this.skipped = skipped;
        this.padded = padded;
    }

    /** What the copy learnt: the artifact's SHA-256 in hex and its Authenticode image digest. */
    record Digests(String sha256Hex, byte[] imageDigest) {
    }

    static Digests copy(Path source, Path target, DigestAlgorithm algorithm) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            return layout(in).copy(in, out, algorithm);
        }
    }

    /** The parts jsign leaves out, from the headers; the layout was checked by {@link PeLayout#check}. */
    private static PeImageCopy layout(FileChannel in) throws IOException {
        long peAt = Integer.toUnsignedLong(read(in, 0x3C, 4).getInt(0));
        long optional = peAt + 24;
        int magic = Short.toUnsignedInt(read(in, optional, 2).getShort(0));
        long certificateEntry = optional + (magic == 0x20b ? 112 : 96) + 32;
        ByteBuffer entry = read(in, certificateEntry, 8);
        long tableAt = Integer.toUnsignedLong(entry.getInt(0));
        long tableLength = Integer.toUnsignedLong(entry.getInt(4));
        long checksum = peAt + 88;
        boolean table = tableAt != 0 && tableLength != 0;
        long[][] skipped = table
                ? new long[][] {{checksum, checksum + 4}, {certificateEntry, certificateEntry + 8},
                    {tableAt, tableAt + tableLength}}
                : new long[][] {{checksum, checksum + 4}, {certificateEntry, certificateEntry + 8}};
        return new PeImageCopy(skipped, !table);
    }

    private Digests copy(FileChannel in, FileChannel out, DigestAlgorithm algorithm) throws IOException {
        MessageDigest sha256 = DigestAlgorithm.SHA256.newDigest();
        MessageDigest image = algorithm.newDigest();
        long size = in.size();
        boolean parallel = size >= PARALLEL_FROM;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, size + 1));
        long position = 0;
        while (in.read(buffer) >= 0) {
            buffer.flip();
            int length = buffer.limit();
            byte[] bytes = buffer.array();
            long at = position;
            CompletableFuture<Void> second = parallel
                    ? CompletableFuture.runAsync(() -> sha256.update(bytes, 0, length)) : null;
            if (second == null) {
                sha256.update(bytes, 0, length);
            }
            updateImage(image, bytes, at, length);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            if (second != null) {
                second.join();
            }
            position += length;
            buffer.clear();
        }
        if (padded) {
            image.update(new byte[(int) ((8 - position % 8) % 8)]);
        }
        return new Digests(HexFormat.of().formatHex(sha256.digest()), image.digest());
    }

    /** The bytes {@code [at, at + length)} of the file, less the parts left out. */
    private void updateImage(MessageDigest image, byte[] bytes, long at, int length) {
        long from = at;
        long end = at + length;
        for (long[] skip : skipped) {
            if (skip[1] <= from || skip[0] >= end) {
                continue;
            }
            if (skip[0] > from) {
                image.update(bytes, (int) (from - at), (int) (skip[0] - from));
            }
            from = Math.max(from, Math.min(skip[1], end));
        }
        if (from < end) {
            image.update(bytes, (int) (from - at), (int) (end - from));
        }
    }

    private static ByteBuffer read(FileChannel in, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (in.read(b, position + b.position()) < 0) {
                throw new IOException("the file ends inside its PE headers");
            }
        }
        return b.flip();
    }
}
