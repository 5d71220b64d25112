package io.jenkins.plugins.hsmsigning.engine.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A file's bytes, edited in place by little-endian offsets, for PE, CAB and OLE files that lie about themselves. */
final class Patch {

    private byte[] bytes;

    private Patch(byte[] bytes) {
        this.bytes = bytes;
    }

    static Patch of(Path file) {
        try {
            return new Patch(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int length() {
        return bytes.length;
    }

    int u16(int offset) {
        return Short.toUnsignedInt(buffer().getShort(offset));
    }

    long u32(int offset) {
        return Integer.toUnsignedLong(buffer().getInt(offset));
    }

    Patch u16(int offset, int value) {
        buffer().putShort(offset, (short) value);
        return this;
    }

    Patch u32(int offset, long value) {
        buffer().putInt(offset, (int) value);
        return this;
    }

    Patch put(int offset, byte[] value) {
        System.arraycopy(value, 0, bytes, offset, value.length);
        return this;
    }

    Patch truncate(int length) {
        bytes = Arrays.copyOf(bytes, length);
        return this;
    }

    Patch append(byte[] more) {
        byte[] joined = Arrays.copyOf(bytes, bytes.length + more.length);
        System.arraycopy(more, 0, joined, bytes.length, more.length);
        bytes = joined;
        return this;
    }

    /** The first offset of {@code ascii} in the file. */
    int find(String ascii) {
        return find(ascii, 0);
    }

    /** The first offset of {@code ascii} in the file at or after {@code from}. */
    int find(String ascii, int from) {
        byte[] needle = ascii.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException(ascii + " not found");
    }

    Path write(Path file) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    // PE layout, from the DOS header's e_lfanew

    int peHeader() {
        return (int) u32(0x3C);
    }

    int sectionCount() {
        return u16(peHeader() + 6);
    }

    int optionalHeader() {
        return peHeader() + 24;
    }

    /** The security (certificate table) directory entry: offset, then size. */
    int securityDirectory() {
        int magic = u16(optionalHeader());
        return optionalHeader() + (magic == 0x20b ? 112 : 96) + 4 * 8;
    }

    int section(int index) {
        return optionalHeader() + u16(peHeader() + 20) + 40 * index;
    }
}
