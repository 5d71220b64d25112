package io.jenkins.plugins.hsmsigning.engine.hostile;

import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * Makes the hostile embedded-format files of {@link HostileEmbeddedFilesTest}: well-formed samples
 * ({@link AuthenticodeSamples}, {@link RawZip#jar()}) cut short or edited to lie about their layout, and archives
 * written entry by entry. Everything is made by the tests; nothing is downloaded.
 */
final class HostileCorpus {

    /** The size of the zeros in the compression bomb: 1 GiB, about 1 MiB deflated. */
    static final long BOMB = 1L << 30;

    /** Word's document class ID as stored on disk: an OLE compound file that is not an installer. */
    private static final byte[] WORD_CLSID = HexFormat.of().parseHex("0609020000000000c000000000000046");

    /** Where samples are copied before they are edited, outside every case's directory; set by the test. */
    static Path scratch;

    private HostileCorpus() {
    }

    static Path empty(Path dir, String name) {
        try {
            return Files.write(dir.resolve(name), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code percent} % of a sample. */
    static Path truncated(AuthenticodeSamples sample, Path dir, String name, int percent) {
        Patch p = sample(sample, dir);
        return p.truncate(p.length() * percent / 100).write(dir.resolve(name));
    }

    static Path truncatedTo(AuthenticodeSamples sample, Path dir, String name, int length) {
        Patch p = sample(sample, dir);
        return p.truncate(length).write(dir.resolve(name));
    }

    /** A sample's bytes, to be edited and written under another name. */
    static Patch sample(AuthenticodeSamples sample, Path dir) {
        Path tmp = sample.copyTo(scratch);
        Patch p = Patch.of(tmp);
        delete(tmp);
        return p;
    }

    static Path random(Path dir, String name, byte[] prefix, int size) {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // PE

    static Path peSectionPastEnd(Path dir, String name) {
        Patch p = sample(AuthenticodeSamples.PE, dir);
        return p.u32(p.section(0) + 20, p.length() + 0x10000L).write(dir.resolve(name));
    }

    static Path peSectionSizePastEnd(Path dir, String name) {
        Patch p = sample(AuthenticodeSamples.PE, dir);
        int last = p.section(p.sectionCount() - 1);
        return p.u32(last + 16, 0x7FFF_0000L).write(dir.resolve(name));
    }

    static Path peOverlappingSections(Path dir, String name) {
        Patch p = sample(AuthenticodeSamples.PE, dir);
        long first = p.u32(p.section(0) + 20);
        return p.u32(p.section(1) + 20, first).write(dir.resolve(name));
    }

    static Path peTooManySections(Path dir, String name) {
        Patch p = sample(AuthenticodeSamples.PE, dir);
        return p.u16(p.peHeader() + 6, 0xFFFF).write(dir.resolve(name));
    }

    static Path peCertificateTable(Path dir, String name, long offset, long size) {
        Patch p = sample(AuthenticodeSamples.PE, dir);
        int security = p.securityDirectory();
        return p.u32(security, offset < 0 ? p.length() + 0x100L : offset).u32(security + 4, size)
                .write(dir.resolve(name));
    }

    /** A WIN_CERTIFICATE of the PKCS#7 type whose content is random bytes, where the security directory says. */
    static Path peGarbageSignature(Path dir, String name) {
        Patch p = sample(AuthenticodeSamples.PE, dir);
        int at = (p.length() + 7) & ~7;
        p.truncate(at);
        byte[] garbage = new byte[1024];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x30;
        byte[] header = new byte[8];
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8 + garbage.length)
                .putShort((short) 0x0200).putShort((short) 0x0002);
        p.append(header).append(garbage);
        int security = p.securityDirectory();
        return p.u32(security, at).u32(security + 4, 8 + garbage.length).write(dir.resolve(name));
    }

    // OLE / MSI

    /** A valid compound file whose root storage is a Word document's: OLE, but not an installer. */
    static Path oleNotMsi(Path dir, String name) {
        Patch p = sample(AuthenticodeSamples.MSI, dir);
        int shift = p.u16(0x1E);
        int root = (int) ((p.u32(0x30) + 1) << shift);
        return p.put(root + 0x50, WORD_CLSID).write(dir.resolve(name));
    }

    static Path oleDirectoryPastEnd(Path dir, String name) {
        return sample(AuthenticodeSamples.MSI, dir).u32(0x30, 0x00FF_FFF0L).write(dir.resolve(name));
    }

    static Path oleGarbage(Path dir, String name) {
        return random(dir, name, HexFormat.of().parseHex("d0cf11e0a1b11ae1"), 8192);
    }

    // CAB: cbCabinet at 8, coffFiles at 16, cFolders at 26, cFiles at 28, flags at 30; CFFOLDER from 36

    static Path cab(Path dir, String name, int offset, long value) {
        return sample(AuthenticodeSamples.CAB, dir).u32(offset, value).write(dir.resolve(name));
    }

    static Path cab16(Path dir, String name, int offset, int value) {
        return sample(AuthenticodeSamples.CAB, dir).u16(offset, value).write(dir.resolve(name));
    }

    /** The one file in the cabinet renamed to climb out of the extraction directory. */
    static Path cabEscapingName(Path dir, String name) {
        Patch p = sample(AuthenticodeSamples.CAB, dir);
        return p.put(p.find("readme.txt"), "..\\evil.tx".getBytes(StandardCharsets.US_ASCII)).write(dir.resolve(name));
    }

    // ZIP-based packages

    /** The APPX sample's entries rewritten by {@link RawZip}, plus whatever {@code extra} adds or lies about. */
    static RawZip appx() {
        RawZip zip = new RawZip();
        zip.add("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas."
                + "openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\""
                + "application/vnd.ms-appx.manifest+xml\"/></Types>").stored();
        zip.add("AppxManifest.xml", "<?xml version=\"1.0\" encoding=\"utf-8\"?><Package xmlns=\"http://schemas."
                + "microsoft.com/appx/manifest/foundation/windows10\"><Identity Name=\"Hostile\" Publisher=\""
                + AuthenticodeSamples.APPX_PUBLISHER + "\" Version=\"1.0.0.0\"/></Package>").stored();
        zip.add("AppxBlockMap.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><BlockMap xmlns=\"http://schemas."
                + "microsoft.com/appx/2010/blockmap\" HashMethod=\"http://www.w3.org/2001/04/xmlenc#sha256\">"
                + "</BlockMap>").stored();
        return zip;
    }

    static RawZip nuget() {
        RawZip zip = new RawZip();
        zip.add("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas."
                + "openxmlformats.org/package/2006/content-types\"><Default Extension=\"nuspec\" ContentType=\""
                + "application/octet\"/></Types>");
        zip.add("hostile.nuspec", "<?xml version=\"1.0\" encoding=\"utf-8\"?><package><metadata><id>Hostile</id>"
                + "<version>1.0.0</version></metadata></package>");
        return zip;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
