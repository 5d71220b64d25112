package io.jenkins.plugins.hsmsigning.engine.deep;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeSamples;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * APPX packages for deep signing tests, written byte by byte as MakeAppx lays them out: payload files (stored, or
 * deflated with a full flush after every 64 KiB block, so that each block's compressed size is known), then the block
 * map (SHA-256) and the content types. And an independent check of a package's block map against its bytes.
 */
final class AppxSamples {

    private static final int BLOCK = 65536;
    /** How many whole-file hashes the last {@link #assertBlockMapTrue} checked. */
    static int fileHashes;

    private AppxSamples() {
    }

    /** A PE of more than three 64 KiB blocks: mingw-w64 with a large constant table. */
    static byte[] largePe(Path dir) throws IOException {
        ExternalTool.require("x86_64-w64-mingw32-gcc");
        Path work = Files.createDirectories(dir.resolve("large-pe"));
        StringBuilder table = new StringBuilder("const unsigned char table[200000] = {");
        for (int i = 0; i < 4000; i++) {
            table.append((i * 7919) % 251).append(',');
        }
        Path c = Files.writeString(work.resolve("large.c"), table + "};\n"
                + "int main(int argc, char **argv) { return table[(argc * 7919) % 200000]; }\n");
        Path out = work.resolve("large.exe");
        ExternalTool.runChecked(List.of("x86_64-w64-mingw32-gcc", "-Os", "-s", "-o", out.toString(), c.toString()));
        return Files.readAllBytes(out);
    }

    /**
     * A package of {@code payload} (deflated unless named in {@code stored}), with manifest, block map, types; with
     * {@code zip64}, laid out as MakeAppx does: local headers without sizes, ZIP64 data descriptors, central records
     * with ZIP64 extra fields, a ZIP64 end record, and a 2021 block map stating the SHA-256 of each file of more
     * than one block ({@code b4:FileHash}).
     */
    static Path appx(Path file, Map<String, byte[]> payload, Set<String> stored, boolean zip64) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>(payload);
        files.put("AppxManifest.xml", ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                + "<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\">"
                + "<Identity Name=\"HsmSigningTest\" Publisher=\"" + AuthenticodeSamples.APPX_PUBLISHER
                + "\" Version=\"1.0.0.0\"/><Properties><DisplayName>HSM Signing Test</DisplayName>"
                + "<PublisherDisplayName>HSM Signing Tests</PublisherDisplayName><Logo>hello.txt</Logo>"
                + "</Properties></Package>\r\n").getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        StringBuilder map = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\r\n"
                + "<BlockMap xmlns=\"http://schemas.microsoft.com/appx/2010/blockmap\" "
                + (zip64 ? "xmlns:b4=\"http://schemas.microsoft.com/appx/2021/blockmap\" IgnorableNamespaces=\"b4\" "
                        : "") + "HashMethod=\"http://www.w3.org/2001/04/xmlenc#sha256\">");
        int count = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            boolean deflate = !stored.contains(f.getKey());
            List<long[]> blocks = entry(zip, central, f.getKey(), f.getValue(), deflate, zip64);
            map.append("<File Name=\"").append(f.getKey().replace('/', '\\')).append("\" Size=\"")
                    .append(f.getValue().length).append("\" LfhSize=\"")
                    .append(30 + f.getKey().getBytes(StandardCharsets.UTF_8).length).append("\">");
            for (int i = 0; i < blocks.size(); i++) {
                byte[] data = java.util.Arrays.copyOfRange(f.getValue(), i * BLOCK,
                        Math.min(f.getValue().length, (i + 1) * BLOCK));
                map.append("<Block Hash=\"").append(Base64.getEncoder().encodeToString(sha256(data))).append('"');
                if (deflate) {
                    map.append(" Size=\"").append(blocks.get(i)[0]).append('"');
                }
                map.append("/>");
            }
            if (zip64 && blocks.size() > 1) {
                map.append("<b4:FileHash Hash=\"").append(Base64.getEncoder().encodeToString(sha256(f.getValue())))
                        .append("\"/>");
            }
            map.append("</File>");
            count++;
        }
        entry(zip, central, "AppxBlockMap.xml", (map + "</BlockMap>\r\n").getBytes(StandardCharsets.UTF_8), true,
                zip64);
        entry(zip, central, "[Content_Types].xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"txt\" ContentType=\"text/plain\"/>"
                + "<Default Extension=\"exe\" ContentType=\"application/x-msdownload\"/>"
                + "<Default Extension=\"dll\" ContentType=\"application/x-msdownload\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/vnd.ms-appx.manifest+xml\"/>"
                + "<Override PartName=\"/AppxBlockMap.xml\" ContentType=\"application/vnd.ms-appx.blockmap+xml\"/>"
                + "</Types>\r\n").getBytes(StandardCharsets.UTF_8), true, zip64);
        count += 2;
        int directoryOffset = zip.size();
        byte[] directory = central.toByteArray();
        zip.write(directory);
        if (zip64) {
            int zip64At = zip.size();
            zip.write(le(ByteBuffer.allocate(56)).putInt(0x06064b50).putLong(4, 44).putShort(12, (short) 45)
                    .putShort(14, (short) 45).putLong(24, count).putLong(32, count).putLong(40, directory.length)
                    .putLong(48, directoryOffset).array());
            zip.write(le(ByteBuffer.allocate(20)).putInt(0x07064b50).putLong(8, zip64At).putInt(16, 1).array());
            zip.write(le(ByteBuffer.allocate(22)).putInt(0x06054b50).putShort(8, (short) 0xFFFF)
                    .putShort(10, (short) 0xFFFF).putInt(12, -1).putInt(16, -1).array());
        } else {
            zip.write(le(ByteBuffer.allocate(22)).putInt(0x06054b50).putShort(8, (short) count)
                    .putShort(10, (short) count).putInt(12, directory.length).putInt(16, directoryOffset).array());
        }
        return Files.write(file, zip.toByteArray());
    }

    /** Writes one entry; returns, for a deflated one, each block's compressed size. */
    private static List<long[]> entry(ByteArrayOutputStream zip, ByteArrayOutputStream central, String name,
            byte[] data, boolean deflate, boolean zip64) {
        byte[] rawName = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        List<long[]> blocks = new ArrayList<>();
        if (deflate) {
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            byte[] out = new byte[BLOCK * 2];
            for (int at = 0; at < data.length || at == 0; at += BLOCK) {
                boolean last = at + BLOCK >= data.length;
                deflater.setInput(data, at, Math.min(BLOCK, data.length - at));
                int before = stored.size();
                if (last) {
                    deflater.finish();
                    while (!deflater.finished()) {
                        stored.write(out, 0, deflater.deflate(out));
                    }
                } else {
                    int k = deflater.deflate(out, 0, out.length, Deflater.FULL_FLUSH);
                    stored.write(out, 0, k);
                }
                blocks.add(new long[] {stored.size() - before});
            }
            deflater.end();
        } else {
            stored.writeBytes(data);
            for (int at = 0; at < data.length; at += BLOCK) {
                blocks.add(new long[] {-1});
            }
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        int offset = zip.size();
        int size = zip64 ? 0 : data.length;
        int storedSize = zip64 ? 0 : stored.size();
        int crcValue = zip64 ? 0 : (int) crc.getValue();
        ByteBuffer local = le(ByteBuffer.allocate(30)).putInt(0x04034b50).putShort(4, (short) (zip64 ? 45 : 20))
                .putShort(6, (short) (zip64 ? 8 : 0)).putShort(8, (short) (deflate ? 8 : 0)).putInt(10, 0x5A5D6000)
                .putInt(14, crcValue).putInt(18, storedSize).putInt(22, size).putShort(26, (short) rawName.length);
        zip.writeBytes(local.array());
        zip.writeBytes(rawName);
        zip.writeBytes(stored.toByteArray());
        if (zip64) {
            zip.writeBytes(le(ByteBuffer.allocate(24)).putInt(0x08074b50).putInt(4, (int) crc.getValue())
                    .putLong(8, stored.size()).putLong(16, data.length).array());
        }
        ByteBuffer record = le(ByteBuffer.allocate(46)).putInt(0x02014b50).putShort(4, (short) (zip64 ? 45 : 20))
                .putShort(6, (short) (zip64 ? 45 : 20)).putShort(8, (short) (zip64 ? 8 : 0))
                .putShort(10, (short) (deflate ? 8 : 0)).putInt(12, 0x5A5D6000).putInt(16, (int) crc.getValue())
                .putInt(20, zip64 ? -1 : stored.size()).putInt(24, zip64 ? -1 : data.length)
                .putShort(28, (short) rawName.length).putShort(30, (short) (zip64 ? 28 : 0))
                .putInt(42, zip64 ? -1 : offset);
        central.writeBytes(record.array());
        central.writeBytes(rawName);
        if (zip64) {
            central.writeBytes(le(ByteBuffer.allocate(28)).putShort(0, (short) 1).putShort(2, (short) 24)
                    .putLong(4, data.length).putLong(12, stored.size()).putLong(20, offset).array());
        }
        return data.length == 0 ? List.of() : blocks;
    }

    /**
     * Checks the block map against the package's bytes, without the engine's code: for every file it lists, the
     * size, the local header's size, and each block: its hash over the uncompressed bytes and, for a deflated file,
     * its compressed bytes, which must inflate on their own (a fresh inflater) to exactly that block. Every payload
     * entry must be listed. Returns how many files were checked.
     */
    static int assertBlockMapTrue(Path appx) throws Exception {
        byte[] bytes = Files.readAllBytes(appx);
        Map<String, long[]> entries = centralDirectory(bytes);
        String map = new String(DeepSamples.read(appx, "AppxBlockMap.xml"), StandardCharsets.UTF_8);
        Matcher files = Pattern.compile("<File ([^>]*?)(/>|>(.*?)</File>)", Pattern.DOTALL).matcher(map);
        int checked = 0;
        fileHashes = 0;
        for (String name : entries.keySet()) {
            if (!Set.of("AppxBlockMap.xml", "[Content_Types].xml", "AppxSignature.p7x").contains(name)) {
                assertTrue(name + " is not in the block map", map.contains("Name=\"" + name.replace('/', '\\') + "\""));
            }
        }
        while (files.find()) {
            String name = attribute(files.group(1), "Name").replace('\\', '/');
            long[] e = entries.get(name);
            assertNotNull("the block map lists " + name + ", which the package lacks", e);
            long method = e[0];
            long compressed = e[1];
            long size = e[2];
            int local = (int) e[3];
            ByteBuffer header = le(ByteBuffer.wrap(bytes));
            int lfh = 30 + Short.toUnsignedInt(header.getShort(local + 26))
                    + Short.toUnsignedInt(header.getShort(local + 28));
            assertEquals(name + " Size", size, Long.parseLong(attribute(files.group(1), "Size")));
            assertEquals(name + " LfhSize", lfh, Long.parseLong(attribute(files.group(1), "LfhSize")));
            byte[] data = DeepSamples.read(appx, name);
            Matcher blocks = Pattern.compile("<Block ([^>]*?)/>").matcher(files.group(3) == null ? "" : files.group(3));
            int index = 0;
            long at = local + lfh;
            while (blocks.find()) {
                byte[] plain = java.util.Arrays.copyOfRange(data, index * BLOCK, Math.min(data.length,
                        (index + 1) * BLOCK));
                assertArrayEquals(name + " block " + index, sha256(plain),
                        Base64.getDecoder().decode(attribute(blocks.group(1), "Hash")));
                if (method == 8) {
                    int blockSize = Integer.parseInt(attribute(blocks.group(1), "Size"));
                    Inflater inflater = new Inflater(true);
                    inflater.setInput(bytes, (int) at, blockSize);
                    byte[] out = new byte[BLOCK + 1];
                    int n = inflater.inflate(out);
                    inflater.end();
                    assertEquals(name + " block " + index + " inflates alone", plain.length, n);
                    assertArrayEquals(name + " block " + index, plain, java.util.Arrays.copyOf(out, n));
                    at += blockSize;
                } else {
                    assertEquals(name + " block " + index + " of a stored file has no Size", "",
                            attribute(blocks.group(1), "Size"));
                }
                index++;
            }
            assertEquals(name + " blocks", (size + BLOCK - 1) / BLOCK, index);
            Matcher fileHash = Pattern.compile("<b4:FileHash ([^>]*?)/>").matcher(files.group(3) == null ? ""
                    : files.group(3));
            if (fileHash.find()) {
                assertArrayEquals(name + " file hash", sha256(data),
                        Base64.getDecoder().decode(attribute(fileHash.group(1), "Hash")));
                fileHashes++;
            }
            if (method == 8 && index > 0) {
                assertEquals(name + " compressed blocks add up", local + lfh + compressed, at);
            }
            checked++;
        }
        return checked;
    }

    /** Name to {method, compressed size, size, local header offset}, from the central directory (ZIP64 too). */
    private static Map<String, long[]> centralDirectory(byte[] bytes) {
        ByteBuffer b = le(ByteBuffer.wrap(bytes));
        int end = bytes.length - 22;
        while (b.getInt(end) != 0x06054b50) {
            end--;
        }
        long p = Integer.toUnsignedLong(b.getInt(end + 16));
        long total = Short.toUnsignedInt(b.getShort(end + 10));
        if (end >= 20 && b.getInt(end - 20) == 0x07064b50) {
            int zip64 = (int) b.getLong(end - 20 + 8);
            total = b.getLong(zip64 + 32);
            p = b.getLong(zip64 + 48);
        }
        Map<String, long[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < total; i++) {
            int at = (int) p;
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(b.getShort(at + 30));
            String name = new String(bytes, at + 46, nameLength, StandardCharsets.UTF_8);
            long[] values = {Integer.toUnsignedLong(b.getInt(at + 24)), Integer.toUnsignedLong(b.getInt(at + 20)),
                Integer.toUnsignedLong(b.getInt(at + 42))};
            int extra = at + 46 + nameLength;
            for (int q = extra; q + 4 <= extra + extraLength; q += 4 + Short.toUnsignedInt(b.getShort(q + 2))) {
                if (b.getShort(q) == 1) {
                    int v = q + 4;
                    for (int k = 0; k < 3; k++) {
                        if (values[k] == 0xFFFFFFFFL) {
                            values[k] = b.getLong(v);
                            v += 8;
                        }
                    }
                }
            }
            entries.put(name, new long[] {Short.toUnsignedInt(b.getShort(at + 10)), values[1], values[0], values[2]});
            p += 46 + nameLength + extraLength + Short.toUnsignedInt(b.getShort(at + 32));
        }
        return entries;
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + name + "=\"([^\"]*)\"").matcher(attributes);
        return m.find() ? m.group(1) : "";
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }
}
