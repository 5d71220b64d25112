package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * The layout of a Windows executable, checked before jsign signs or reads it, because jsign hashes the file from
 * start to end and would sign an image that Windows refuses to load: the PE header where the DOS header's
 * {@code e_lfanew} points, 1 to {@value #MAX_SECTIONS} sections whose raw data lie inside the file without
 * overlapping the headers or each other, a certificate table entry in the data directories, and, when there is a
 * certificate table, one that lies after the headers and sections, inside the file, is at most
 * {@value #MAX_CERTIFICATE_TABLE} bytes, and whose entries are all readable PKCS#7 signatures with nothing hidden
 * after them (a damaged or padded existing signature is refused rather than verified or silently replaced). Reads
 * are bounded by the headers and the certificate table.
 */
final class PeLayout {

    /** The most sections the Windows loader accepts. */
    static final int MAX_SECTIONS = 96;
    /** Real certificate tables, nested signatures included, are far smaller. */
    static final int MAX_CERTIFICATE_TABLE = 16 << 20;

    private static final int WIN_CERT_TYPE_PKCS_SIGNED_DATA = 2;

    private final FileChannel channel;
    private final long size;
    private final String name;

    private PeLayout(FileChannel channel, String name) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.name = name;
    }

    /** Refuses, with one sentence naming the artifact, a PE file whose layout is damaged or lies. */
    static void check(Path file, String name) throws SigningException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            new PeLayout(channel, name).check(true);
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The artifact " + name + " cannot be read: " + Reasons.detail(e)
                    + ".", e);
        }
    }

    /** Why a file that starts with 'MZ' is not a usable PE file (its headers only), or null when its headers are. */
    static String headerProblem(Path file, String name) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            new PeLayout(channel, name).check(false);
            return null;
        } catch (SigningException e) {
            return e.getMessage();
        }
    }

    private void check(boolean everything) throws IOException, SigningException {
        if (isDosProgram()) {
            throw new SigningException(Kind.INPUT, "The artifact " + name + " is a DOS program, not a Windows PE "
                    + "file: it has a DOS header ('MZ') but no PE header, so Authenticode cannot sign it.");
        }
        if (size < 0x40) {
            throw problem("is truncated: at " + size + " bytes it is too short for the headers of a Windows "
                    + "executable");
        }
        long peAt = u32(0x3C);
        if (peAt + 24 > size) {
            throw problem("is damaged or truncated: its DOS header points to a PE header at offset " + peAt
                    + ", past the end of the file");
        }
        if (read(peAt, 4).getInt(0) != 0x00004550) {
            throw problem("is damaged: there is no PE signature where its DOS header points (offset " + peAt + ")");
        }
        if (!everything) {
            return;
        }
        ByteBuffer coff = read(peAt + 4, 20);
        int sections = u16(coff, 2);
        int optionalSize = u16(coff, 16);
        long optional = peAt + 24;
        if (sections == 0 || sections > MAX_SECTIONS) {
            throw problem("states " + sections + " sections, where Windows loads 1 to " + MAX_SECTIONS);
        }
        if (optional + optionalSize > size || optionalSize < 2) {
            throw problem("is truncated: its optional header runs past the end of the file");
        }
        ByteBuffer header = read(optional, optionalSize);
        int magic = u16(header, 0);
        if (magic != 0x10b && magic != 0x20b) {
            throw problem("has an optional header of unknown type 0x" + Integer.toHexString(magic));
        }
        int directories = magic == 0x20b ? 112 : 96;
        if (optionalSize < directories) {
            throw problem("is damaged: its optional header is too short");
        }
        long directoryCount = Math.min(Integer.toUnsignedLong(header.getInt(directories - 4)),
                (optionalSize - directories) / 8);
        if (directoryCount < 5) {
            throw problem("has no certificate table entry in its data directories, so it cannot carry a signature");
        }
        long headersSize = Integer.toUnsignedLong(header.getInt(60));
        long tableAt = optional + optionalSize;
        long tableEnd = tableAt + 40L * sections;
        if (tableEnd > size || headersSize > size) {
            throw problem("is truncated: its section table runs past the end of the file");
        }
        ByteBuffer table = read(tableAt, 40 * sections);
        long[][] raw = new long[sections][];
        int used = 0;
        long dataEnd = tableEnd;
        for (int i = 0; i < sections; i++) {
            long rawSize = u32(table, 40 * i + 16);
            long rawAt = u32(table, 40 * i + 20);
            if (rawSize == 0) {
                continue;
            }
            String section = sectionName(table, 40 * i);
            if (rawAt < tableEnd) {
                throw problem("is damaged: its section " + section + " lies over the headers");
            }
            if (rawAt + rawSize > size) {
                throw problem("is damaged or truncated: its section " + section + " (" + rawSize
                        + " bytes at offset " + rawAt + ") runs past the end of the file");
            }
            raw[used++] = new long[] {rawAt, rawAt + rawSize, i};
            dataEnd = Math.max(dataEnd, rawAt + rawSize);
        }
        long[][] sorted = Arrays.copyOf(raw, used);
        Arrays.sort(sorted, Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < used; i++) {
            if (sorted[i][0] < sorted[i - 1][1]) {
                throw problem("is damaged: its sections " + sectionName(table, 40 * (int) sorted[i - 1][2])
                        + " and " + sectionName(table, 40 * (int) sorted[i][2]) + " overlap in the file");
            }
        }
        certificateTable(u32(header, directories + 32), u32(header, directories + 36), Math.max(dataEnd,
                headersSize));
    }

    /**
     * A DOS program: no PE signature where {@code e_lfanew} points, and a header that never meant to point anywhere
     * (a relocation table offset below 0x40, where Windows-era headers put 0x40 or more, or an {@code e_lfanew}
     * inside the DOS header itself). A Windows executable cut short keeps its 0x40 and is called truncated instead.
     */
    private boolean isDosProgram() throws IOException, SigningException {
        if (size < 0x1A) {
            return false;
        }
        boolean relocationsBelow40 = u16(read(0x18, 2), 0) < 0x40;
        if (size < 0x40) {
            return relocationsBelow40;
        }
        long peAt = u32(0x3C);
        boolean pe = peAt + 4 <= size && read(peAt, 4).getInt(0) == 0x00004550;
        return !pe && (relocationsBelow40 || peAt < 0x40);
    }

    private void certificateTable(long at, long length, long contentEnd) throws IOException, SigningException {
        if (at == 0 && length == 0) {
            return;
        }
        if (at == 0 || length < 8) {
            throw problem("is damaged: its certificate table entry (" + length + " bytes at offset " + at
                    + ") is malformed");
        }
        if (at + length > size) {
            throw problem("is damaged or truncated: its certificate table (" + length + " bytes at offset " + at
                    + ") runs past the end of the file");
        }
        if (at < contentEnd) {
            throw problem("is damaged: its certificate table (at offset " + at + ") overlaps its headers or "
                    + "sections");
        }
        if (length > MAX_CERTIFICATE_TABLE) {
            throw problem("has a certificate table of " + length + " bytes, larger than any signature");
        }
        ByteBuffer certificates = read(at, (int) length);
        int p = 0;
        while (p + 8 <= length) {
            long entryLength = u32(certificates, p);
            int type = u16(certificates, p + 6);
            if (entryLength < 8 || p + entryLength > length) {
                throw problem("carries a damaged signature: its certificate table is malformed");
            }
            if (type != WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
                throw problem("has a certificate table entry of type " + type + ", which is not an Authenticode "
                        + "signature (PKCS#7, type 2): Windows ignores it, so it is neither verified nor replaced");
            }
            byte[] content = new byte[(int) entryLength - 8];
            certificates.get(p + 8, content);
            readable(content);
            p += (int) ((entryLength + 7) & ~7L);
        }
    }

    /**
     * The entry must hold one PKCS#7 signature and at most the 0 to 7 zero bytes that align the next entry: bytes
     * hidden after the signature are not covered by it (the CVE-2013-3900 pattern, which Windows refuses with its
     * certificate padding check).
     */
    private void readable(byte[] signature) throws SigningException {
        int trailing;
        try (ByteArrayInputStream bytes = new ByteArrayInputStream(signature);
                ASN1InputStream in = new ASN1InputStream(bytes)) {
            new CMSSignedData(ContentInfo.getInstance(in.readObject()));
            trailing = bytes.available();
        } catch (IOException | CMSException | RuntimeException e) {
            throw problem("carries a signature that cannot be read (its certificate table is damaged), so it is "
                    + "neither verified nor replaced");
        }
        boolean padding = trailing < 8;
        for (int i = signature.length - trailing; padding && i < signature.length; i++) {
            padding = signature[i] == 0;
        }
        if (!padding) {
            throw problem("has " + trailing + " bytes hidden in its certificate table after the signature, which "
                    + "the signature does not cover (the CVE-2013-3900 pattern): Windows with its certificate padding "
                    + "check rejects it, so it is neither verified nor replaced");
        }
    }

    private static String sectionName(ByteBuffer table, int at) {
        byte[] raw = new byte[8];
        table.get(at, raw);
        int end = 0;
        while (end < 8 && raw[end] != 0) {
            end++;
        }
        StringBuilder b = new StringBuilder();
        for (char c : new String(raw, 0, end, StandardCharsets.ISO_8859_1).toCharArray()) {
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return "'" + b + "'";
    }

    private long u32(long position) throws IOException, SigningException {
        return Integer.toUnsignedLong(read(position, 4).getInt(0));
    }

    private ByteBuffer read(long position, int length) throws IOException, SigningException {
        if (position < 0 || position + length > size) {
            throw problem("is truncated: it ends where more of its headers are stated");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw problem("is truncated: it ends where more of its headers are stated");
            }
        }
        return b.flip();
    }

    private SigningException problem(String text) {
        return new SigningException(Kind.INPUT, "The Windows executable " + name + " " + text + ".");
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
