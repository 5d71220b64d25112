package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.ArchiveNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The layout of a cabinet, checked before jsign signs or reads it: jsign hashes the cabinet up to the size its header
 * states and shifts the folders' offsets, so a cabinet that lies about its size or offsets would be signed as
 * something else than it is. The stated size must be the file's (or end where an existing signature begins), the
 * folder and file tables and every folder's data blocks must lie inside it, and no file name may climb out of the
 * extraction directory ({@link ArchiveNames}). Nothing is decompressed; reads are bounded by the file.
 */
final class CabLayout {

    private static final int HEADER = 36;
    private static final int RESERVE_PRESENT = 0x0004;
    private static final int PREVIOUS_CABINET = 0x0001;
    private static final int NEXT_CABINET = 0x0002;
    private static final int SIGNATURE_RESERVE = 16;

    private final FileChannel channel;
    private final long size;
    private final String name;

    private CabLayout(FileChannel channel, String name) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.name = name;
    }

    static void check(Path file, String name) throws SigningException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            new CabLayout(channel, name).check();
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The artifact " + name + " cannot be read: " + Reasons.detail(e)
                    + ".", e);
        }
    }

    private void check() throws IOException, SigningException {
        if (size < HEADER + 8) {
            throw problem("is truncated: at " + size + " bytes it is too short for a cabinet header");
        }
        ByteBuffer header = read(0, HEADER);
        long stated = u32(header, 8);
        long filesAt = u32(header, 16);
        int folders = u16(header, 26);
        int files = u16(header, 28);
        int flags = u16(header, 30);
        long position = HEADER;
        int folderReserve = 0;
        int dataReserve = 0;
        long end = size;
        if ((flags & RESERVE_PRESENT) != 0) {
            ByteBuffer reserve = read(position, 4);
            int headerReserve = u16(reserve, 0);
            folderReserve = reserve.get(2) & 0xFF;
            dataReserve = reserve.get(3) & 0xFF;
            position += 4;
            if (headerReserve >= 4) {
                ByteBuffer abReserve = read(position, headerReserve);
                int first = u16(abReserve, 0);
                int second = u16(abReserve, 2);
                if (second == SIGNATURE_RESERVE && 4 + first + second <= headerReserve) {
                    long signatureAt = u32(abReserve, 4 + first);
                    long signatureLength = u32(abReserve, 8 + first);
                    if (signatureAt != stated || signatureAt + signatureLength != size) {
                        throw problem("lies about its size: it states " + stated + " bytes and a signature of "
                                + signatureLength + " bytes at offset " + signatureAt + ", but the file has " + size);
                    }
                    end = stated;
                }
            }
            position += headerReserve;
        }
        if (stated != end) {
            throw problem("lies about its size: its header states " + stated + " bytes, but the file has " + size);
        }
        if ((flags & PREVIOUS_CABINET) != 0) {
            position = skipString(skipString(position, end), end);
        }
        if ((flags & NEXT_CABINET) != 0) {
            position = skipString(skipString(position, end), end);
        }
        long foldersEnd = position + (long) folders * (8 + folderReserve);
        if (foldersEnd > end) {
            throw problem("lies about its layout: its " + folders + " folders run past the end of the cabinet");
        }
        for (int i = 0; i < folders; i++) {
            ByteBuffer folder = read(position + (long) i * (8 + folderReserve), 8);
            folderData(i, u32(folder, 0), u16(folder, 4), dataReserve, foldersEnd, end);
        }
        if (filesAt < foldersEnd || filesAt >= end && files > 0) {
            throw problem("lies about its layout: its file table (offset " + filesAt + ") lies outside the cabinet");
        }
        long p = filesAt;
        for (int i = 0; i < files; i++) {
            if (p + 16 > end) {
                throw problem("lies about its layout: its " + files + " files run past the end of the cabinet");
            }
            ByteBuffer file = read(p, 16);
            int folder = u16(file, 8);
            if (folder >= folders && folder < 0xFFFD) {
                throw problem("lies about its layout: a file names folder " + folder + " of " + folders);
            }
            int attributes = u16(file, 14);
            p += 16;
            int length = stringLength(p, end);
            ByteBuffer raw = read(p, length);
            byte[] bytes = new byte[length];
            raw.get(0, bytes);
            String entry = new String(bytes, (attributes & 0x80) != 0 ? StandardCharsets.UTF_8
                    : StandardCharsets.ISO_8859_1);
            String escape = ArchiveNames.escape(entry);
            if (escape != null) {
                throw problem("has a file named '" + ArchiveNames.printable(entry) + "' that " + escape
                        + ", so it would be extracted outside the target directory; such cabinets are refused");
            }
            p += length + 1;
        }
    }

    /** Walks a folder's data blocks, each a header and its stated bytes, all inside the cabinet. */
    private void folderData(int index, long at, int blocks, int reserve, long foldersEnd, long end)
            throws IOException, SigningException {
        if (at < foldersEnd || at > end) {
            throw problem("lies about its layout: the data of folder " + index + " (offset " + at
                    + ") lies outside the cabinet");
        }
        long p = at;
        for (int i = 0; i < blocks; i++) {
            if (p + 8 + reserve > end) {
                throw problem("lies about its layout: the data blocks of folder " + index + " run past the end of "
                        + "the cabinet");
            }
            ByteBuffer block = read(p, 8);
            int compressed = u16(block, 4);
            int expanded = u16(block, 6);
            if (expanded > 32768) {
                throw problem("is damaged: a data block of folder " + index + " states " + expanded
                        + " expanded bytes, more than the 32768 a block holds");
            }
            p += 8 + reserve + compressed;
            if (p > end) {
                throw problem("lies about its layout: the data blocks of folder " + index + " run past the end of "
                        + "the cabinet");
            }
        }
    }

    private long skipString(long position, long end) throws IOException, SigningException {
        return position + stringLength(position, end) + 1;
    }

    /** The length of the NUL-terminated string at {@code position}: at most 255 characters, inside the cabinet. */
    private int stringLength(long position, long end) throws IOException, SigningException {
        int length = (int) Math.min(256, end - position);
        if (length <= 0) {
            throw problem("is truncated: a name runs past the end of the cabinet");
        }
        ByteBuffer b = read(position, length);
        for (int i = 0; i < length; i++) {
            if (b.get(i) == 0) {
                return i;
            }
        }
        throw problem("is damaged: a name is not terminated within 255 characters or runs past the end of the "
                + "cabinet");
    }

    private ByteBuffer read(long position, int length) throws IOException, SigningException {
        if (position < 0 || position + length > size) {
            throw problem("is truncated: it ends where more of its structures are stated");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw problem("is truncated: it ends where more of its structures are stated");
            }
        }
        return b.flip();
    }

    private SigningException problem(String text) {
        return new SigningException(Kind.INPUT, "The cabinet " + name + " " + text + ".");
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
