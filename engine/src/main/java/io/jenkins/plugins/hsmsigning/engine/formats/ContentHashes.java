package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * An artifact read once, streamed through every digest its formats need. Detached formats sign from these states,
 * so an artifact that gets a CMS and an OpenPGP signature is still read only once, and never held in memory.
 */
public final class ContentHashes {

    private static final int BUFFER = 256 * 1024;

    private final Map<DigestAlgorithm, MessageDigest> states;
    private final Map<DigestAlgorithm, MessageDigest> textStates;
    private final long size;

    private ContentHashes(Map<DigestAlgorithm, MessageDigest> states, Map<DigestAlgorithm, MessageDigest> textStates,
            long size) {
        this.states = states;
        this.textStates = textStates;
        this.size = size;
    }

    /** Reads {@code file} once; SHA-256 is always computed, for the report. */
    public static ContentHashes of(Path file, Set<DigestAlgorithm> digests) throws IOException {
        return of(file, digests, Set.of());
    }

    public static ContentHashes of(InputStream in, Set<DigestAlgorithm> digests) throws IOException {
        return of(in, digests, Set.of(), BUFFER);
    }

    /**
     * Reads {@code file} once for the digests of its bytes and, for OpenPGP text signatures, the digests of its text
     * in canonical form ({@link CanonicalText}).
     */
    public static ContentHashes of(Path file, Set<DigestAlgorithm> digests, Set<DigestAlgorithm> textDigests)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                InputStream in = Channels.newInputStream(channel)) {
            return of(in, digests, textDigests, bufferFor(channel.size()));
        }
    }

    private static ContentHashes of(InputStream in, Set<DigestAlgorithm> digests, Set<DigestAlgorithm> textDigests,
            int bufferSize) throws IOException {
        Map<DigestAlgorithm, MessageDigest> textStates = new EnumMap<>(DigestAlgorithm.class);
        CanonicalText[] texts = new CanonicalText[textDigests.size()];
        int t = 0;
        for (DigestAlgorithm d : textDigests) {
            texts[t] = new CanonicalText(d.newDigest());
            textStates.put(d, texts[t++].digest());
        }
        EnumSet<DigestAlgorithm> all = EnumSet.of(DigestAlgorithm.SHA256);
        all.addAll(digests);
        Map<DigestAlgorithm, MessageDigest> states = new EnumMap<>(DigestAlgorithm.class);
        for (DigestAlgorithm d : all) {
            states.put(d, d.newDigest());
        }
        MessageDigest[] mds = states.values().toArray(new MessageDigest[0]);
        byte[] buffer = new byte[bufferSize];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            size += n;
            for (MessageDigest md : mds) {
                md.update(buffer, 0, n);
            }
            for (CanonicalText text : texts) {
                text.update(buffer, 0, n);
            }
        }
        return new ContentHashes(states, textStates, size);
    }

    public long size() {
        return size;
    }

    /** The finished digest. */
    public byte[] digest(DigestAlgorithm algorithm) {
        return state(algorithm).digest();
    }

    /** A copy of the running state, for formats that append their own trailer (OpenPGP). */
    public MessageDigest state(DigestAlgorithm algorithm) {
        MessageDigest md = states.get(algorithm);
        if (md == null) {
            throw new IllegalArgumentException(algorithm + " was not computed");
        }
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's digests are cloneable", e);
        }
    }

    /** A copy of the running state over the artifact as canonical text; for OpenPGP text signatures. */
    public MessageDigest textState(DigestAlgorithm algorithm) {
        MessageDigest md = textStates.get(algorithm);
        if (md == null) {
            throw new IllegalArgumentException(algorithm + " of the text was not computed");
        }
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's digests are cloneable", e);
        }
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(digest(DigestAlgorithm.SHA256));
    }

    /**
     * Copies {@code source} over {@code target} and returns the SHA-256 (hex) of the bytes copied: the copy an
     * embedded format signs, and the artifact's hash for the report, in one read.
     */
    public static String copy(Path source, Path target) throws IOException {
        MessageDigest sha256 = DigestAlgorithm.SHA256.newDigest();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocate(bufferFor(in.size()));
            while (in.read(buffer) >= 0) {
                buffer.flip();
                sha256.update(buffer.array(), 0, buffer.limit());
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Hex SHA-256 of a whole file, for artifacts an embedded format rewrote. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest sha256 = DigestAlgorithm.SHA256.newDigest();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(bufferFor(in.size()));
            while (in.read(buffer) >= 0) {
                sha256.update(buffer.flip());
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /**
     * One read for a small file (with a byte to spare, to see its end), else {@value #BUFFER} bytes at a time: signing
     * thousands of small files in place should not allocate and clear a quarter of a megabyte for each of them.
     */
    private static int bufferFor(long size) {
        return (int) Math.min(BUFFER, Math.max(size, 0) + 1);
    }
}
