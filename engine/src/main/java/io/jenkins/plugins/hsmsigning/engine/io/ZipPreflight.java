package io.jenkins.plugins.hsmsigning.engine.io;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A bounded look at a ZIP archive (JAR, WAR, EAR, APPX/MSIX, NuGet, or a plain ZIP) before anything signs or
 * verifies it. Nothing is extracted and nothing is written; the archive is refused, with one sentence naming it and
 * the problem, when tools could read it differently from the way the signer did, or when reading it would cost
 * unbounded memory, disk or time.
 *
 * <p><b>Layout</b> ({@link #checkLayout}): the end record is found in the last 64 KiB, ZIP64 included; the central
 * directory (at most {@value #MAX_CENTRAL_DIRECTORY} bytes and {@value #MAX_ENTRIES} entries) must end where the
 * end record begins; every entry's local header must be where the central directory says and state the same name,
 * method and (without a data descriptor) sizes and CRC; entries' data must lie before the central directory and must
 * not overlap (the trick of non-recursive compression bombs); entry names must not climb out of the extraction
 * directory ({@code ../x}, {@code /abs}, {@code C:\x}, see {@link ArchiveNames}) nor appear twice (for OPC packages
 * such as APPX and NuGet, also not twice ignoring case). Encrypted entries, methods other than stored and deflated,
 * and archives spanning disks are refused.
 *
 * <p><b>Content</b> ({@link #checkArchive}, for the formats whose signers decompress entries): the layout, then limits
 * against compression bombs. An entry larger than {@value #RATIO_GRACE} bytes may not expand to more than
 * {@value #MAX_RATIO} times its compressed size, and all entries together to no more than {@value #MAX_TOTAL} bytes
 * (16 GiB); then every entry is decompressed once, streaming through 64 KiB buffers, and must produce exactly the
 * size and CRC-32 its headers state. Decompression stops as soon as an entry produces more than it states, so a
 * hostile archive costs at most its stated (and limited) sizes; a 1 GiB run of zeros deflated to 1 MiB is refused
 * by the ratio before anything is decompressed.
 */
public final class ZipPreflight {

    /** The most an entry larger than {@link #RATIO_GRACE} may expand: more than 100:1 is a compression bomb. */
    public static final int MAX_RATIO = 100;
    /** Entries up to 1 MiB expanded are never treated as bombs, whatever their ratio. */
    public static final long RATIO_GRACE = 1L << 20;
    /** The most all entries of one archive may expand to together: 16 GiB. */
    public static final long MAX_TOTAL = 16L << 30;
    /** The most entries an archive may have. */
    public static final int MAX_ENTRIES = 500_000;
    /** The largest central directory read, in bytes. */
    public static final int MAX_CENTRAL_DIRECTORY = 64 << 20;

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final long SATURATED = 0xFFFFFFFFL;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int BUFFER = 64 * 1024;

    /** A central directory entry; {@code dataStart} is learnt from its local header. */
    private static final class Entry {
        final String name;
        final byte[] rawName;
        final int flags;
        final int method;
        final long crc;
        final long compressedSize;
        final long size;
        final long localOffset;
        long dataStart;

        Entry(String name, byte[] rawName, int flags, int method, long crc, long compressedSize, long size,
                long localOffset) {
            this.name = name;
            this.rawName = rawName;
            this.flags = flags;
            this.method = method;
            this.crc = crc;
            this.compressedSize = compressedSize;
            this.size = size;
            this.localOffset = localOffset;
        }
    }

    private final FileChannel channel;
    private final String artifact;

    private ZipPreflight(FileChannel channel, String artifact) {
        this.channel = channel;
        this.artifact = artifact;
    }

    /** Whether a file's first bytes are those of a ZIP archive: a local header, or the end record of an empty one. */
    public static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6);
    }

    /** The layout checks only: bounded reads of the end record, the central directory and the local headers. */
    public static void checkLayout(Path file, String artifactName, boolean caseInsensitiveNames)
            throws SigningException {
        run(file, artifactName, caseInsensitiveNames, false);
    }

    /** The layout checks, the compression-bomb limits, and one streaming decompression of every entry. */
    public static void checkArchive(Path file, String artifactName, boolean caseInsensitiveNames)
            throws SigningException {
        run(file, artifactName, caseInsensitiveNames, true);
    }

    private static void run(Path file, String artifactName, boolean caseInsensitive, boolean content)
            throws SigningException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ZipPreflight preflight = new ZipPreflight(channel, artifactName);
            List<Entry> entries = preflight.layout(caseInsensitive);
            if (content) {
                preflight.content(entries);
            }
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The archive " + artifactName + " cannot be read: "
                    + e.getMessage() + ".", e);
        }
    }

    private List<Entry> layout(boolean caseInsensitive) throws IOException, SigningException {
        long size = channel.size();
        if (size < 22) {
            throw problem("is damaged or truncated: at " + size + " bytes it is too short to be a ZIP archive");
        }
        int tail = (int) Math.min(size, 22 + 0xFFFF);
        ByteBuffer buffer = read(size - tail, tail);
        int found = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (buffer.getInt(i) == END && i + 22 + u16(buffer, i + 20) <= tail) {
                found = i;
                break;
            }
        }
        if (found < 0) {
            throw problem("is damaged or truncated: its end of central directory record is missing");
        }
        long endAt = size - tail + found;
        long disk = u16(buffer, found + 4);
        long directoryDisk = u16(buffer, found + 6);
        long onDisk = u16(buffer, found + 8);
        long total = u16(buffer, found + 10);
        long directorySize = u32(buffer, found + 12);
        long directoryOffset = u32(buffer, found + 16);
        long directoryEnd = endAt;
        boolean saturated = onDisk == 0xFFFF || total == 0xFFFF || directorySize == SATURATED
                || directoryOffset == SATURATED;
        if (endAt >= 20 && read(endAt - 20, 4).getInt(0) == ZIP64_LOCATOR) {
            long zip64At = read(endAt - 20, 20).getLong(8);
            if (zip64At < 0 || zip64At > endAt - 20 - 56) {
                throw problem("is damaged: its ZIP64 end record lies outside the file");
            }
            ByteBuffer zip64 = read(zip64At, 56);
            if (zip64.getInt(0) != ZIP64_END) {
                throw problem("is damaged: its ZIP64 end record is missing");
            }
            disk = Integer.toUnsignedLong(zip64.getInt(16));
            directoryDisk = Integer.toUnsignedLong(zip64.getInt(20));
            onDisk = zip64.getLong(24);
            total = zip64.getLong(32);
            directorySize = zip64.getLong(40);
            directoryOffset = zip64.getLong(48);
            directoryEnd = zip64At;
        } else if (saturated) {
            throw problem("is damaged: it needs a ZIP64 end record and has none");
        }
        if (disk != 0 || directoryDisk != 0 || onDisk != total) {
            throw problem("spans several disks, which the engine does not read");
        }
        if (total < 0 || total > MAX_ENTRIES) {
            throw problem("states " + total + " entries, more than the " + MAX_ENTRIES + " the engine reads");
        }
        if (directorySize < 0 || directorySize > MAX_CENTRAL_DIRECTORY) {
            throw problem("has a central directory of " + directorySize + " bytes, more than the "
                    + MAX_CENTRAL_DIRECTORY + " the engine reads");
        }
        if (directoryOffset < 0 || directoryOffset + directorySize > directoryEnd) {
            throw problem("is damaged or truncated: its central directory (" + directorySize + " bytes at offset "
                    + directoryOffset + ") runs past the end of the file");
        }
        if (directoryOffset + directorySize != directoryEnd) {
            throw problem("lies about its layout: its central directory does not end where its end record begins");
        }
        List<Entry> entries = centralDirectory(read(directoryOffset, (int) directorySize), total, caseInsensitive);
        localHeaders(entries, directoryOffset);
        return entries;
    }

    private List<Entry> centralDirectory(ByteBuffer cd, long total, boolean caseInsensitive)
            throws SigningException {
        List<Entry> entries = new ArrayList<>((int) total);
        Map<String, String> seen = new HashMap<>();
        int p = 0;
        for (long i = 0; i < total; i++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL) {
                throw problem("is damaged: entry " + (i + 1) + " of its central directory is missing or malformed");
            }
            int flags = u16(cd, p + 8);
            int method = u16(cd, p + 10);
            long crc = u32(cd, p + 16);
            long compressed = u32(cd, p + 20);
            long size = u32(cd, p + 24);
            int nameLength = u16(cd, p + 28);
            int extraLength = u16(cd, p + 30);
            int commentLength = u16(cd, p + 32);
            int diskStart = u16(cd, p + 34);
            long localOffset = u32(cd, p + 42);
            if (p + 46 + nameLength + extraLength + commentLength > cd.limit()) {
                throw problem("is damaged: entry " + (i + 1) + " of its central directory is missing or malformed");
            }
            byte[] rawName = new byte[nameLength];
            cd.get(p + 46, rawName);
            String name = new String(rawName, StandardCharsets.UTF_8);
            if (size == SATURATED || compressed == SATURATED || localOffset == SATURATED) {
                long[] values = zip64(cd, p + 46 + nameLength, extraLength,
                        new long[] {size, compressed, localOffset}, name);
                size = values[0];
                compressed = values[1];
                localOffset = values[2];
            }
            String escape = ArchiveNames.escape(name);
            if (escape != null) {
                throw problem("has an entry named '" + ArchiveNames.printable(name) + "' that " + escape
                        + ", so it would be extracted outside the target directory; such archives are refused");
            }
            String key = name.replace('\\', '/');
            String previous = seen.put(caseInsensitive ? key.toLowerCase(Locale.ROOT) : key, name);
            if (previous != null) {
                throw problem("has two entries named '" + ArchiveNames.printable(previous)
                        + (previous.equals(name) ? "" : "' and '" + ArchiveNames.printable(name))
                        + "'; such archives are refused because tools disagree on which one counts");
            }
            if ((flags & 0x41) != 0) {
                throw problem("has an encrypted entry '" + ArchiveNames.printable(name) + "', which cannot be signed");
            }
            if (method != STORED && method != DEFLATED) {
                throw problem("has an entry '" + ArchiveNames.printable(name) + "' compressed with method " + method
                        + ", which the engine does not read");
            }
            if (diskStart != 0) {
                throw problem("spans several disks, which the engine does not read");
            }
            entries.add(new Entry(name, rawName, flags, method, crc, compressed, size, localOffset));
            p += 46 + nameLength + extraLength + commentLength;
        }
        if (p != cd.limit()) {
            throw problem("lies about its layout: its central directory holds more than the " + total
                    + " entries its end record states");
        }
        return entries;
    }

    /** Replaces the saturated values among size, compressed size and offset by the ZIP64 extra field's. */
    private long[] zip64(ByteBuffer b, int at, int length, long[] values, String name) throws SigningException {
        int end = at + length;
        while (at + 4 <= end) {
            int id = u16(b, at);
            int dataLength = u16(b, at + 2);
            if (at + 4 + dataLength > end) {
                break;
            }
            if (id == 0x0001) {
                int q = at + 4;
                long[] result = values.clone();
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == SATURATED) {
                        if (q + 8 > at + 4 + dataLength) {
                            throw problem("is damaged: the ZIP64 sizes of entry '" + ArchiveNames.printable(name)
                                    + "' are missing");
                        }
                        result[i] = b.getLong(q);
                        q += 8;
                        if (result[i] < 0) {
                            throw problem("is damaged: entry '" + ArchiveNames.printable(name)
                                    + "' states an impossible size");
                        }
                    }
                }
                return result;
            }
            at += 4 + dataLength;
        }
        throw problem("is damaged: the ZIP64 sizes of entry '" + ArchiveNames.printable(name) + "' are missing");
    }

    private void localHeaders(List<Entry> entries, long directoryOffset) throws IOException, SigningException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(e -> e.localOffset));
        Entry previous = null;
        long previousEnd = 0;
        for (Entry e : byOffset) {
            String name = ArchiveNames.printable(e.name);
            if (previous != null && e.localOffset < previousEnd) {
                throw problem("has entries '" + ArchiveNames.printable(previous.name) + "' and '" + name
                        + "' whose data overlap, a trick of compression bombs; such archives are refused");
            }
            if (e.localOffset + 30 > directoryOffset) {
                throw problem("is damaged: the local header of entry '" + name + "' lies past the end of the entries");
            }
            if (e.localOffset + 30 + e.rawName.length > directoryOffset) {
                throw problem("is damaged: the local header of entry '" + name + "' runs into the central directory");
            }
            ByteBuffer header = read(e.localOffset, 30 + e.rawName.length);
            if (header.getInt(0) != LOCAL) {
                throw problem("is damaged: entry '" + name + "' has no local header at offset " + e.localOffset);
            }
            int flags = u16(header, 6);
            int method = u16(header, 8);
            long crc = u32(header, 14);
            long compressed = u32(header, 18);
            long size = u32(header, 22);
            int nameLength = u16(header, 26);
            int extraLength = u16(header, 28);
            long dataStart = e.localOffset + 30 + nameLength + extraLength;
            if (dataStart > directoryOffset) {
                throw problem("is damaged: the local header of entry '" + name + "' runs into the central directory");
            }
            byte[] localName = new byte[Math.min(nameLength, e.rawName.length)];
            header.get(30, localName);
            if (nameLength != e.rawName.length || !Arrays.equals(localName, e.rawName)) {
                localName = new byte[nameLength];
                read(e.localOffset + 30, nameLength).get(0, localName);
                throw problem("lies about entry '" + name + "': its local header names it '"
                        + ArchiveNames.printable(new String(localName, StandardCharsets.UTF_8)) + "'");
            }
            if (method != e.method) {
                throw problem("lies about entry '" + name + "': its local header and central directory state "
                        + "different compression methods");
            }
            if ((flags & 0x08) == 0) {
                if (size == SATURATED || compressed == SATURATED) {
                    ByteBuffer rest = read(e.localOffset + 30, nameLength + extraLength);
                    long[] values = zip64(rest, nameLength, extraLength, new long[] {size, compressed}, e.name);
                    size = values[0];
                    compressed = values[1];
                }
                if (crc != e.crc || compressed != e.compressedSize || size != e.size) {
                    throw problem("lies about entry '" + name + "': its local header and central directory state "
                            + "different sizes or checksums");
                }
            }
            long dataEnd = dataStart + e.compressedSize;
            if (dataEnd > directoryOffset || dataEnd < dataStart) {
                throw problem("is damaged or lies about entry '" + name + "': its " + e.compressedSize
                        + " compressed bytes run past the end of the entries");
            }
            e.dataStart = dataStart;
            previous = e;
            previousEnd = dataEnd + ((e.flags & 0x08) != 0 ? 12 : 0);
        }
    }

    private void content(List<Entry> entries) throws IOException, SigningException {
        long total = 0;
        for (Entry e : entries) {
            String name = ArchiveNames.printable(e.name);
            if (e.method == STORED && e.compressedSize != e.size) {
                throw problem("lies about entry '" + name + "': it is stored uncompressed but states "
                        + e.compressedSize + " stored and " + e.size + " expanded bytes");
            }
            if (e.size > RATIO_GRACE && e.size / MAX_RATIO > e.compressedSize) {
                throw problem("looks like a compression bomb: entry '" + name + "' would expand from "
                        + e.compressedSize + " to " + e.size + " bytes, more than " + MAX_RATIO
                        + " times; such archives are refused");
            }
            total += e.size;
            if (total > MAX_TOTAL) {
                throw problem("would expand to more than " + (MAX_TOTAL >> 30) + " GiB; such archives are refused");
            }
        }
        byte[] in = new byte[BUFFER];
        byte[] out = new byte[BUFFER];
        Inflater inflater = new Inflater(true);
        try {
            for (Entry e : entries) {
                inflater.reset();
                expand(e, inflater, in, out);
            }
        } finally {
            inflater.end();
        }
    }

    /** Decompresses one entry, counting, never beyond its stated size; checks the size and the CRC-32. */
    private void expand(Entry e, Inflater inflater, byte[] in, byte[] out) throws IOException, SigningException {
        String name = ArchiveNames.printable(e.name);
        long at = e.dataStart;
        CRC32 crc = new CRC32();
        long left = e.compressedSize;
        long produced = 0;
        if (e.method == STORED) {
            while (left > 0) {
                int n = readInto(at, in, (int) Math.min(in.length, left));
                crc.update(in, 0, n);
                at += n;
                left -= n;
            }
            produced = e.size;
        } else {
            try {
                boolean padded = false;
                int stalls = 0;
                while (!inflater.finished()) {
                    if (inflater.needsInput()) {
                        if (left > 0) {
                            int n = readInto(at, in, (int) Math.min(in.length, left));
                            inflater.setInput(in, 0, n);
                            at += n;
                            left -= n;
                        } else if (!padded) {
                            // raw deflate may need one byte past the data to notice its end, as ZipFile gives it
                            inflater.setInput(new byte[1]);
                            padded = true;
                        } else {
                            break;
                        }
                    }
                    int n = inflater.inflate(out);
                    if (n == 0 && (inflater.needsDictionary() || !inflater.needsInput() && !inflater.finished()
                            && ++stalls > 16)) {
                        throw problem("is damaged: entry '" + name + "' cannot be decompressed");
                    }
                    produced += n;
                    if (produced > e.size) {
                        throw problem("lies about entry '" + name + "': it expands to more than the " + e.size
                                + " bytes it states");
                    }
                    crc.update(out, 0, n);
                }
                if (!inflater.finished()) {
                    throw problem("is damaged: the compressed data of entry '" + name + "' ends too early");
                }
            } catch (DataFormatException ex) {
                throw problem("is damaged: entry '" + name + "' cannot be decompressed");
            }
        }
        if (produced != e.size) {
            throw problem("lies about entry '" + name + "': it expands to " + produced + " bytes, not the "
                    + e.size + " it states");
        }
        if (crc.getValue() != e.crc) {
            throw problem("is damaged: entry '" + name + "' does not match its CRC-32 checksum");
        }
    }

    private int readInto(long position, byte[] into, int length) throws IOException, SigningException {
        ByteBuffer b = ByteBuffer.wrap(into, 0, length);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw problem("is damaged or truncated: it ends in the middle of an entry");
            }
        }
        return length;
    }

    private ByteBuffer read(long position, int length) throws IOException, SigningException {
        if (position < 0 || position + length > channel.size()) {
            throw problem("is damaged or truncated: it ends where more data is stated");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw problem("is damaged or truncated: it ends where more data is stated");
            }
        }
        return b.flip();
    }

    private SigningException problem(String text) {
        return new SigningException(Kind.INPUT, "The archive " + artifact + " " + text + ".");
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
