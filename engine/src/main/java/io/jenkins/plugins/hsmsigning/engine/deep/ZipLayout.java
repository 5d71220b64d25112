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
 * byte-identical (names, times, method, attributes, extra fields). ZIP64 archives (APPX/MSIX packages always are)
 * are read with their ZIP64 end record and the ZIP64 extra fields of their entries.
 */
public final class ZipLayout {

    static final int LOCAL = 0x04034b50;
    static final int CENTRAL = 0x02014b50;
    static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    static final int ZIP64_LOCATOR = 0x07064b50;
    static final int ZIP64_END = 0x06064b50;
    static final long SATURATED = 0xFFFFFFFFL;

    /**
     * One entry: its central record as stored, where its local header starts, and where its data starts and ends.
     * {@code zip64At} gives, for size, compressed size and local header offset, where in the central record the
     * ZIP64 extra field holds the value (-1: in the record's own 32-bit field).
     */
    public record Entry(String name, byte[] centralRecord, int flags, int method, long compressedSize, long size,
            long localOffset, long dataStart, long spanEnd, int[] zip64At) {

        public boolean directory() {
            return name.endsWith("/");
        }
    }

    private final List<Entry> entries;
    private final long prefixEnd;
    private final byte[] comment;
    private final byte[] zip64End;
    private final ByteBuffer end;

    private ZipLayout(List<Entry> entries, long prefixEnd, byte[] comment, byte[] zip64End, ByteBuffer end) {
        this.entries = entries;
        this.prefixEnd = prefixEnd;
        this.comment = comment;
        this.zip64End = zip64End;
        this.end = end;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Bytes before the first entry (a self-extractor's stub, say), copied as they are. */
    public long prefixEnd() {
        return prefixEnd;
    }

    byte[] comment() {
        return comment.clone();
    }

    /** The archive's ZIP64 end record as stored (APPX/MSIX packages always have one), or null. */
    byte[] zip64End() {
        return zip64End == null ? null : zip64End.clone();
    }

    /** Whether the end record's field at {@code offset} (8: entries, 10: total, 12: size, 16: offset) is saturated. */
    boolean endSaturated(int offset) {
        return offset < 12 ? u16(end, offset) == 0xFFFF : u32(end, offset) == SATURATED;
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
        long total = u16(buffer, found + 10);
        long directorySize = u32(buffer, found + 12);
        long directoryOffset = u32(buffer, found + 16);
        byte[] zip64End = null;
        if (endAt >= 20 && read(channel, endAt - 20, 4).getInt(0) == ZIP64_LOCATOR) {
            long zip64At = read(channel, endAt - 20, 20).getLong(8);
            ByteBuffer zip64 = read(channel, zip64At, (int) (endAt - 20 - zip64At));
            zip64End = new byte[zip64.remaining()];
            zip64.get(0, zip64End);
            total = zip64.getLong(32);
            directorySize = zip64.getLong(40);
            directoryOffset = zip64.getLong(48);
        }
        byte[] comment = new byte[u16(buffer, found + 20)];
        buffer.get(found + 22, comment);
        ByteBuffer end = read(channel, endAt, 22);
        ByteBuffer cd = read(channel, directoryOffset, (int) directorySize);
        List<Entry> entries = new ArrayList<>((int) total);
        long prefixEnd = directoryOffset;
        int p = 0;
        for (int i = 0; i < total; i++) {
            int nameLength = u16(cd, p + 28);
            int extraLength = u16(cd, p + 30);
            int recordLength = 46 + nameLength + extraLength + u16(cd, p + 32);
            byte[] record = new byte[recordLength];
            cd.get(p, record);
            ByteBuffer r = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            String name = new String(record, 46, nameLength, StandardCharsets.UTF_8);
            int flags = u16(r, 8);
            int[] zip64At = zip64Positions(r, 46 + nameLength, extraLength, artifactName, name);
            long uncompressed = zip64At[0] < 0 ? u32(r, 24) : r.getLong(zip64At[0]);
            long compressed = zip64At[1] < 0 ? u32(r, 20) : r.getLong(zip64At[1]);
            long localOffset = zip64At[2] < 0 ? u32(r, 42) : r.getLong(zip64At[2]);
            ByteBuffer local = read(channel, localOffset, 30);
            long dataStart = localOffset + 30 + u16(local, 26) + u16(local, 28);
            long spanEnd = dataStart + compressed;
            if ((flags & 0x08) != 0) {
                spanEnd = descriptorEnd(channel, spanEnd, u32(r, 16), compressed, uncompressed);
            }
            entries.add(new Entry(name, record, flags, u16(r, 10), compressed, uncompressed, localOffset,
                    dataStart, spanEnd, zip64At));
            prefixEnd = Math.min(prefixEnd, localOffset);
            p += recordLength;
        }
        return new ZipLayout(List.copyOf(entries), prefixEnd, comment, zip64End, end);
    }

    /** Where the ZIP64 extra field holds the saturated ones of size, compressed size and offset (-1: not there). */
    private static int[] zip64Positions(ByteBuffer r, int at, int length, String artifactName, String name)
            throws SigningException {
        int[] positions = {-1, -1, -1};
        int[] fields = {24, 20, 42};
        boolean any = false;
        for (int field : fields) {
            any |= u32(r, field) == SATURATED;
        }
        if (!any) {
            return positions;
        }
        for (int q = at; q + 4 <= at + length; q += 4 + u16(r, q + 2)) {
            if (u16(r, q) == 0x0001) {
                int value = q + 4;
                for (int i = 0; i < fields.length; i++) {
                    if (u32(r, fields[i]) == SATURATED && value + 8 <= q + 4 + u16(r, q + 2)) {
                        positions[i] = value;
                        value += 8;
                    }
                }
                return positions;
            }
        }
        throw new SigningException(Kind.INPUT, "The archive " + artifactName + " is damaged: the ZIP64 sizes of "
                + "entry " + name + " are missing.");
    }

    /**
     * Where an entry's data descriptor ends: with or without its signature, with 32-bit or (ZIP64) 64-bit sizes,
     * whichever states the entry's CRC and sizes and is followed by a ZIP record; else the classic guess.
     */
    private static long descriptorEnd(FileChannel channel, long at, long crc, long compressed, long size)
            throws IOException {
        ByteBuffer d = read(channel, at, (int) Math.min(32, channel.size() - at));
        boolean signed = d.limit() >= 4 && d.getInt(0) == DESCRIPTOR;
        int base = signed ? 4 : 0;
        int[] lengths = {base + 12, base + 20};
        for (int length : lengths) {
            if (d.limit() < length || u32(d, base) != crc) {
                continue;
            }
            boolean wide = length == base + 20;
            long c = wide ? d.getLong(base + 4) : u32(d, base + 4);
            long s = wide ? d.getLong(base + 12) : u32(d, base + 8);
            boolean followed = d.limit() < length + 4 || isRecord(d.getInt(length));
            if (c == compressed && s == size && followed) {
                return at + length;
            }
        }
        return at + base + 12;
    }

    private static boolean isRecord(int signature) {
        return signature == LOCAL || signature == CENTRAL || signature == END || signature == ZIP64_END
                || signature == DESCRIPTOR;
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
