package io.jenkins.plugins.hsmsigning.engine.deep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Writes a new ZIP archive from an old one, streaming: entries left alone are copied as raw bytes (local header,
 * compressed data, data descriptor) and keep their central record with only the offset changed; replaced entries
 * keep their name, time, method, flags (but the data descriptor), attributes and extra fields, with new data, CRC and
 * sizes; new entries (detached signatures) are stored with the time of the entry they sign.
 */
public final class ZipRewriter implements AutoCloseable {

    private static final long MAX_32 = 0xFFFFFFFEL;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int[] NO_ZIP64 = {-1, -1, -1};

    private final FileChannel source;
    private final FileChannel out;
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private int count;

    public ZipRewriter(FileChannel source, Path target) throws IOException {
        this.source = source;
        this.out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public void copyPrefix(long length) throws IOException {
        transfer(0, length);
    }

    public void copy(ZipLayout.Entry entry) throws IOException {
        long offset = out.position();
        transfer(entry.localOffset(), entry.spanEnd() - entry.localOffset());
        byte[] record = entry.centralRecord().clone();
        put(ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN), 42, entry.zip64At()[2], offset);
        central.write(record);
        count++;
    }

    /** The entry with {@code content} as its data, compressed with its own method. */
    public void replace(ZipLayout.Entry entry, Path content) throws IOException {
        ByteBuffer local = ZipLayout.read(source, entry.localOffset(),
                (int) (entry.dataStart() - entry.localOffset()));
        int flags = entry.flags() & ~0x08;
        local.putShort(6, (short) flags);
        byte[] record = entry.centralRecord().clone();
        write(local, content, entry.method(), ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN), flags,
                entry.zip64At());
        central.write(record);
        count++;
    }

    /**
     * The entry with {@code content} as its data, written in APPX/MSIX blocks hashed with {@code digest}
     * ({@link BlockStream}); returns what was written, for the block map.
     */
    BlockStream.Written replaceInBlocks(ZipLayout.Entry entry, Path content, MessageDigest digest)
            throws IOException {
        if (entry.method() != STORED && entry.method() != DEFLATED) {
            throw new IOException("entry " + entry.name() + " is compressed with method " + entry.method()
                    + ", which APPX/MSIX packages do not use");
        }
        ByteBuffer local = ZipLayout.read(source, entry.localOffset(),
                (int) (entry.dataStart() - entry.localOffset()));
        int flags = entry.flags() & ~0x08;
        long offset = out.position();
        writeFully(local.duplicate().position(0));
        BlockStream.Written written;
        try (InputStream in = Files.newInputStream(content)) {
            written = BlockStream.write(in, new NonClosing(Channels.newOutputStream(out)), entry.method() == DEFLATED,
                    digest);
        }
        byte[] record = entry.centralRecord().clone();
        finishEntry(local, offset, ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN), flags, entry.zip64At(),
                written.crc(), written.size(), written.compressed());
        central.write(record);
        count++;
        return written;
    }

    /** A new stored entry named {@code name}, with the time and date of {@code timeOf}. */
    void add(String name, Path content, ZipLayout.Entry timeOf) throws IOException {
        byte[] rawName = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer timeSource = ByteBuffer.wrap(timeOf.centralRecord()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer local = ByteBuffer.allocate(30 + rawName.length).order(ByteOrder.LITTLE_ENDIAN);
        local.putInt(0, ZipLayout.LOCAL).putShort(4, (short) 20).putShort(6, (short) 0x0800)
                .putShort(8, (short) STORED).putInt(10, timeSource.getInt(12)).putShort(26, (short) rawName.length)
                .put(30, rawName);
        byte[] record = new byte[46 + rawName.length];
        ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putInt(0, ZipLayout.CENTRAL).putShort(4, (short) 20)
                .putShort(6, (short) 20).putShort(8, (short) 0x0800).putInt(12, timeSource.getInt(12))
                .putShort(28, (short) rawName.length).put(46, rawName);
        write(local, content, STORED, ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN), 0x0800, NO_ZIP64);
        central.write(record);
        count++;
    }

    /**
     * Writes the central directory and the end record, in the shape of {@code layout}'s: a ZIP64 end record and
     * locator when it had them (the classic record's fields saturated where its were), else the classic record alone.
     */
    public void finish(ZipLayout layout) throws IOException {
        long directoryOffset = out.position();
        byte[] directory = central.toByteArray();
        writeFully(ByteBuffer.wrap(directory));
        byte[] zip64 = layout.zip64End();
        if (zip64 != null) {
            long zip64At = out.position();
            writeFully(ByteBuffer.wrap(zip64).order(ByteOrder.LITTLE_ENDIAN).putLong(24, count).putLong(32, count)
                    .putLong(40, directory.length).putLong(48, directoryOffset));
            writeFully(ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(0, ZipLayout.ZIP64_LOCATOR)
                    .putLong(8, zip64At).putInt(16, 1));
        }
        byte[] comment = layout.comment();
        ByteBuffer end = ByteBuffer.allocate(22 + comment.length).order(ByteOrder.LITTLE_ENDIAN);
        boolean wide = zip64 != null;
        end.putInt(0, ZipLayout.END).putShort(20, (short) comment.length).put(22, comment);
        for (int field : new int[] {8, 10}) {
            boolean saturate = wide && layout.endSaturated(field) || count > 0xFFFE && wide;
            end.putShort(field, (short) (saturate ? 0xFFFF : count));
        }
        end.putInt(12, (int) (wide && layout.endSaturated(12) ? ZipLayout.SATURATED : directory.length));
        boolean saturateOffset = wide && (layout.endSaturated(16) || directoryOffset > MAX_32);
        end.putInt(16, (int) (saturateOffset ? ZipLayout.SATURATED : directoryOffset));
        writeFully(end);
        if (!wide && (directoryOffset > MAX_32 || count > 0xFFFE)) {
            throw new IOException("the rewritten archive would need ZIP64, and the original is not a ZIP64 archive");
        }
    }

    /** Puts {@code value} into a record's 32-bit field at {@code field}, or its ZIP64 extra field at {@code wide}. */
    private static void put(ByteBuffer record, int field, int wide, long value) throws IOException {
        if (wide >= 0) {
            record.putLong(wide, value);
        } else if (value > MAX_32) {
            throw new IOException("the rewritten archive would need a ZIP64 field where the original has none");
        } else {
            record.putInt(field, (int) value);
        }
    }

    private void write(ByteBuffer local, Path content, int method, ByteBuffer record, int flags, int[] zip64At)
            throws IOException {
        long offset = out.position();
        writeFully(local.duplicate().position(0));
        CRC32 crc = new CRC32();
        long size;
        long compressed;
        try (InputStream in = new CheckedInputStream(Files.newInputStream(content), crc)) {
            OutputStream data = Channels.newOutputStream(out);
            if (method == DEFLATED) {
                Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                try {
                    DeflaterOutputStream deflating = new DeflaterOutputStream(new NonClosing(data), deflater);
                    size = in.transferTo(deflating);
                    deflating.finish();
                    compressed = deflater.getBytesWritten();
                } finally {
                    deflater.end();
                }
            } else {
                size = in.transferTo(data);
                compressed = size;
            }
        }
        finishEntry(local, offset, record, flags, zip64At, crc.getValue(), size, compressed);
    }

    /**
     * Fills in the local header written at {@code offset} and the central record, once the data is written: sizes
     * go where the entry keeps them, in the ZIP64 extra fields if it has them.
     */
    private void finishEntry(ByteBuffer local, long offset, ByteBuffer record, int flags, int[] zip64At, long crc,
            long size, long compressed) throws IOException {
        long end = out.position();
        local.putShort(6, (short) flags).putInt(14, (int) crc);
        int localZip64 = ZipLayout.u32(local, 18) == ZipLayout.SATURATED || ZipLayout.u32(local, 22)
                == ZipLayout.SATURATED ? localZip64(local) : -1;
        if (localZip64 >= 0) {
            local.putLong(localZip64, size).putLong(localZip64 + 8, compressed);
        } else if (size > MAX_32 || compressed > MAX_32) {
            throw new IOException("the rewritten archive would need a ZIP64 field where the original has none");
        } else {
            local.putInt(18, (int) compressed).putInt(22, (int) size);
        }
        out.position(offset);
        writeFully(local.duplicate().position(0).limit(local.capacity()));
        out.position(end);
        record.putShort(8, (short) flags).putInt(16, (int) crc);
        put(record, 24, zip64At[0], size);
        put(record, 20, zip64At[1], compressed);
        put(record, 42, zip64At[2], offset);
    }

    /** Where a local header's ZIP64 extra field holds its size (then its compressed size). */
    private static int localZip64(ByteBuffer local) throws IOException {
        int at = 30 + ZipLayout.u16(local, 26);
        int end = at + ZipLayout.u16(local, 28);
        for (int q = at; q + 4 <= end; q += 4 + ZipLayout.u16(local, q + 2)) {
            if (ZipLayout.u16(local, q) == 0x0001 && ZipLayout.u16(local, q + 2) >= 16) {
                return q + 4;
            }
        }
        throw new IOException("a local header states ZIP64 sizes but has no ZIP64 extra field");
    }

    /** Extracts an entry's data to {@code target}: exactly the size it states, never more. */
    public static void extract(FileChannel source, ZipLayout.Entry entry, Path target) throws IOException {
        try (InputStream data = open(source, entry);
                OutputStream sink = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            long copied = data.transferTo(new LimitedOutput(sink, entry.size()));
            if (copied != entry.size()) {
                throw new IOException("entry " + entry.name() + " holds " + copied + " bytes, not the "
                        + entry.size() + " it states");
            }
        }
    }

    /** An entry's uncompressed data (stored or deflated), read from the shared channel. */
    static InputStream open(FileChannel source, ZipLayout.Entry entry) {
        InputStream raw = new BoundedChannelInput(source, entry.dataStart(), entry.compressedSize());
        if (entry.method() != DEFLATED) {
            return raw;
        }
        Inflater inflater = new Inflater(true);
        return new InflaterInputStream(raw, inflater, 64 * 1024) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    inflater.end();
                }
            }
        };
    }

    private void transfer(long position, long length) throws IOException {
        long done = 0;
        while (done < length) {
            long n = source.transferTo(position + done, length - done, out);
            if (n <= 0) {
                throw new IOException("unexpected end of the archive at offset " + (position + done));
            }
            done += n;
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Reads a span of a channel at absolute positions, so that the channel can be shared. */
    private static final class BoundedChannelInput extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        BoundedChannelInput(FileChannel channel, long start, long length) {
            this.channel = channel;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }

    /** Refuses to write more than an entry states, so that a lying entry costs no more disk than it claims. */
    private static final class LimitedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        LimitedOutput(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("an entry expands to more than it states");
            }
            out.write(b, off, len);
            left -= len;
        }
    }

    /** Lets the deflater finish without closing the archive's channel. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the archive stays open for the next entry
        }
    }
}
