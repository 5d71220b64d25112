package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw layout of a ZIP archive that {@link io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight#checkArchive} has
 * accepted: for each entry its central directory record as stored, and the span of its local header, data and data
 * descriptor. Deep signing copies these spans verbatim for the entries it leaves alone, so that they stay
 * byte-identical (names, times, method, attributes, extra fields). ZIP64 archives are not rewritten (yet).
 */
public final class ZipLayout {

    static final int LOCAL = 0x04034b50;
    static final int CENTRAL = 0x02014b50;
    static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final long SATURATED = 0xFFFFFFFFL;

    /** One entry: its central record as stored, where its local header starts, and where its data starts and ends. */
    public record Entry(String name, byte[] centralRecord, int flags, int method, long compressedSize, long size,
            long localOffset, long dataStart, long spanEnd) {

        public boolean directory() {
            return name.endsWith("/");
        }
    }

    private final List<Entry> entries;
    private final long prefixEnd;
    private final byte[] comment;

    private ZipLayout(List<Entry> entries, long prefixEnd, byte[] comment) {
        this.entries = entries;
        this.prefixEnd = prefixEnd;
        this.comment = comment;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Bytes before the first entry (a self-extractor's stub, say), copied as they are. */
    public long prefixEnd() {
        return prefixEnd;
    }

    public byte[] comment() {
        return comment.clone();
    }

    public static ZipLayout read(FileChannel channel, String artifactName) throws IOException, SigningException {
        long size = channel.size();
        int tail = (int) Math.min(size, 22 + 0xFFFF);
        ByteBuffer buffer = read(channel, size - tail, tail);
        int found = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (buffer.getInt(i) == END && i + 22 + u16(buffer, i + 20) <= tail) {
                found = i;
                break;
            }
        }
        if (found < 0) {
            throw new SigningException(Kind.INPUT, "The archive " + artifactName + " has no end record.");
        }
        long endAt = size - tail + found;
        if (endAt >= 20 && read(channel, endAt - 20, 4).getInt(0) == ZIP64_LOCATOR) {
            throw new SigningException(Kind.INPUT, "The archive " + artifactName + " is a ZIP64 archive, which deep "
                    + "signing does not rewrite yet; sign it without deep signing.");
        }
        int total = u16(buffer, found + 10);
        long directorySize = u32(buffer, found + 12);
        long directoryOffset = u32(buffer, found + 16);
        byte[] comment = new byte[u16(buffer, found + 20)];
        buffer.get(found + 22, comment);
        ByteBuffer cd = read(channel, directoryOffset, (int) directorySize);
        List<Entry> entries = new ArrayList<>(total);
        long prefixEnd = directoryOffset;
        int p = 0;
        for (int i = 0; i < total; i++) {
            int nameLength = u16(cd, p + 28);
            int recordLength = 46 + nameLength + u16(cd, p + 30) + u16(cd, p + 32);
            byte[] record = new byte[recordLength];
            cd.get(p, record);
            byte[] rawName = new byte[nameLength];
            cd.get(p + 46, rawName);
            String name = new String(rawName, StandardCharsets.UTF_8);
            int flags = u16(cd, p + 8);
            long compressed = u32(cd, p + 20);
            long uncompressed = u32(cd, p + 24);
            long localOffset = u32(cd, p + 42);
            if (compressed == SATURATED || uncompressed == SATURATED || localOffset == SATURATED) {
                throw new SigningException(Kind.INPUT, "The archive " + artifactName + " has ZIP64 entries, which "
                        + "deep signing does not rewrite yet; sign it without deep signing.");
            }
            ByteBuffer local = read(channel, localOffset, 30);
            long dataStart = localOffset + 30 + u16(local, 26) + u16(local, 28);
            long spanEnd = dataStart + compressed;
            if ((flags & 0x08) != 0) {
                spanEnd += spanEnd + 4 <= size && read(channel, spanEnd, 4).getInt(0) == DESCRIPTOR ? 16 : 12;
            }
            entries.add(new Entry(name, record, flags, u16(cd, p + 10), compressed, uncompressed, localOffset,
                    dataStart, spanEnd));
            prefixEnd = Math.min(prefixEnd, localOffset);
            p += recordLength;
        }
        return new ZipLayout(List.copyOf(entries), prefixEnd, comment);
    }

    /** The last segment of an entry name, so that tools that judge a file by its extension see the same one. */
    static String baseName(String name) {
        String base = name.substring(name.replace('\\', '/').lastIndexOf('/') + 1);
        return base.isEmpty() || base.equals(".") || base.equals("..") ? "entry" : base;
    }

    static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at offset " + (position + b.position()));
            }
        }
        return b.flip();
    }

    static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
