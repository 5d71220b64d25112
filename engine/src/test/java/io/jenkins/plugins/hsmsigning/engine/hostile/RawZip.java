package io.jenkins.plugins.hsmsigning.engine.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A ZIP writer that lies on request: every size, offset, name and count the local headers, the central directory and
 * its end record state can be set independently of the data, entry names are written as given ({@code ../x},
 * {@code C:\x}, duplicates), and content can be a run of zeros of any length, deflated while it is streamed to disk.
 * {@link java.util.zip.ZipOutputStream} refuses most of this.
 */
final class RawZip {

    static final int STORED = 0;
    static final int DEFLATED = 8;

    /** One entry; the {@code Long} fields, when set, replace what the writer would state. */
    static final class Entry {
        final String name;
        final byte[] data;
        final long zeros;
        int method = DEFLATED;
        /** General purpose flags added to both headers (bit 0: encrypted). */
        int flags;
        String localName;
        Long localCompressedSize;
        Long localSize;
        Long centralCompressedSize;
        Long centralSize;
        Long crc;
        /** The central directory points at another entry's local header instead of its own (no data written). */
        Integer aliasOf;

        Entry(String name, byte[] data, long zeros) {
            this.name = name;
            this.data = data;
            this.zeros = zeros;
        }

        Entry stored() {
            method = STORED;
            return this;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    Long centralDirectoryOffset;
    Integer entryCount;
    boolean omitEnd;

    Entry add(String name, byte[] data) {
        Entry e = new Entry(name, data, 0);
        entries.add(e);
        return e;
    }

    Entry add(String name, String text) {
        return add(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An entry of {@code count} zero bytes, deflated while written: a compression bomb needs no memory. */
    Entry zeros(String name, long count) {
        Entry e = new Entry(name, null, count);
        entries.add(e);
        return e;
    }

    /** A central directory entry named {@code name} whose data is entry {@code index}'s. */
    Entry alias(String name, int index) {
        Entry e = new Entry(name, new byte[0], 0);
        e.aliasOf = index;
        entries.add(e);
        return e;
    }

    /** A minimal JAR: a manifest and one class-like entry, ready for more entries or lies. */
    static RawZip jar() {
        RawZip zip = new RawZip();
        zip.add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: hostile tests\r\n\r\n");
        zip.add("com/example/Hello.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0,
            61});
        return zip;
    }

    Path write(Path file) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long[] offsets = new long[entries.size()];
            long[][] stated = new long[entries.size()][];
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.aliasOf != null) {
                    offsets[i] = offsets[e.aliasOf];
                    stated[i] = stated[e.aliasOf];
                    continue;
                }
                offsets[i] = out.position();
                stated[i] = writeLocal(out, e);
            }
            long centralStart = out.position();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                Entry data = e.aliasOf != null ? entries.get(e.aliasOf) : e;
                byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
                ByteBuffer central = le(46 + name.length);
                central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20)
                        .putShort((short) (0x0800 | data.flags))
                        .putShort((short) data.method).putInt(0x00210000)
                        .putInt((int) (e.crc != null ? e.crc : stated[i][0]))
                        .putInt((int) (e.centralCompressedSize != null ? e.centralCompressedSize : stated[i][1]))
                        .putInt((int) (e.centralSize != null ? e.centralSize : stated[i][2]))
                        .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putInt(0).putInt((int) offsets[i]).put(name);
                out.write(central.flip());
            }
            long centralSize = out.position() - centralStart;
            if (!omitEnd) {
                ByteBuffer end = le(22);
                int count = entryCount != null ? entryCount : entries.size();
                end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count)
                        .putShort((short) count).putInt((int) centralSize)
                        .putInt((int) (centralDirectoryOffset != null ? centralDirectoryOffset : centralStart))
                        .putShort((short) 0);
                out.write(end.flip());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a local header and the data; returns crc, compressed size, size as the writer measured them. */
    private static long[] writeLocal(FileChannel out, Entry e) throws IOException {
        byte[] name = (e.localName != null ? e.localName : e.name).getBytes(StandardCharsets.UTF_8);
        long headerAt = out.position();
        out.write(le(30 + name.length).putInt(0x04034b50).putShort((short) 20).putShort((short) (0x0800 | e.flags))
                .putShort((short) e.method).putInt(0x00210000).putInt(0).putInt(0).putInt(0)
                .putShort((short) name.length).putShort((short) 0).put(name).flip());
        long dataAt = out.position();
        CRC32 crc = new CRC32();
        long size;
        OutputStream raw = Channels.newOutputStream(out);
        OutputStream sink = e.method == DEFLATED
                ? new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_COMPRESSION, true), 64 * 1024) : raw;
        if (e.data != null) {
            crc.update(e.data);
            sink.write(e.data);
            size = e.data.length;
        } else {
            byte[] zeros = new byte[1024 * 1024];
            for (long left = e.zeros; left > 0; left -= zeros.length) {
                int n = (int) Math.min(zeros.length, left);
                crc.update(zeros, 0, n);
                sink.write(zeros, 0, n);
            }
            size = e.zeros;
        }
        if (sink instanceof DeflaterOutputStream d) {
            d.finish();
        }
        sink.flush();
        long end = out.position();
        long compressed = end - dataAt;
        out.position(headerAt + 14);
        out.write(le(12).putInt((int) (e.crc != null ? e.crc : crc.getValue()))
                .putInt((int) (e.localCompressedSize != null ? e.localCompressedSize : compressed))
                .putInt((int) (e.localSize != null ? e.localSize : size)).flip());
        out.position(end);
        return new long[] {crc.getValue(), compressed, size};
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
