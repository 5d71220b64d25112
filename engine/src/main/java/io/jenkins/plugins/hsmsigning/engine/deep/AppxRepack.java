package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Repacks an APPX/MSIX package whose inner files were signed: the signed files are written in 64 KiB blocks
 * ({@link BlockStream}), {@code AppxBlockMap.xml} states their new sizes and block hashes, the old package signature
 * ({@code AppxSignature.p7x}) is left out (the package is signed again afterwards), and every other entry,
 * {@code [Content_Types].xml} included, is copied as it was. All inner files are signed before anything is written,
 * because the block map may come before the files it describes.
 */
final class AppxRepack {

    static final String SIGNATURE = "AppxSignature.p7x";
    static final String CONTENT_TYPES = "[Content_Types].xml";
    static final String CODE_INTEGRITY = "AppxMetadata/CodeIntegrity.cat";
    /** The package's own files, which the block map does not list. */
    static final Set<String> FOOTPRINT = Set.of(AppxBlockMap.ENTRY, CONTENT_TYPES, SIGNATURE, CODE_INTEGRITY);

    /** Signs one inner file of the package; null content when it stays as it was. */
    interface InnerSigner {
        DeepSigner.Signed sign(ZipLayout.Entry entry) throws IOException, SigningException;
    }

    private AppxRepack() {
    }

    /** Writes {@code target}, the package with its inner files signed; false (nothing written) when none changed. */
    static boolean repack(FileChannel channel, ZipLayout layout, Path target, Path scratch, String displayPath,
            InnerSigner signer) throws IOException, SigningException {
        ZipLayout.Entry mapEntry = layout.entries().stream().filter(e -> e.name().equals(AppxBlockMap.ENTRY))
                .findFirst().orElseThrow(() -> new SigningException(Kind.INPUT, "The package " + displayPath
                        + " has no " + AppxBlockMap.ENTRY + ", which every APPX/MSIX package has."));
        Path mapFile = scratch.resolve("old-block-map.xml");
        ZipRewriter.extract(channel, mapEntry, mapFile);
        AppxBlockMap map = parse(mapFile, displayPath);
        Map<ZipLayout.Entry, Path> changed = new LinkedHashMap<>();
        for (ZipLayout.Entry entry : layout.entries()) {
            if (entry.directory() || FOOTPRINT.contains(entry.name())) {
                continue;
            }
            Path content = signer.sign(entry).content();
            if (content != null) {
                if (!map.lists(entry.name())) {
                    throw new SigningException(Kind.INPUT, "The package " + displayPath + " was left untouched "
                            + "because its " + AppxBlockMap.ENTRY + " does not list " + entry.name() + ".");
                }
                changed.put(entry, content);
            }
        }
        if (changed.isEmpty()) {
            return false;
        }
        Map<ZipLayout.Entry, BlockStream.Written> planned = new LinkedHashMap<>();
        for (Map.Entry<ZipLayout.Entry, Path> c : changed.entrySet()) {
            ZipLayout.Entry entry = c.getKey();
            BlockStream.Written written;
            try (InputStream in = Files.newInputStream(c.getValue())) {
                written = BlockStream.write(in, OutputStream.nullOutputStream(), entry.method() == 8,
                        map.newDigest());
            }
            planned.put(entry, written);
            map.replace(entry.name(), written.size(), entry.dataStart() - entry.localOffset(), written.blocks(),
                    written.sha256());
        }
        Path newMap = Files.write(scratch.resolve(AppxBlockMap.ENTRY), map.toBytes());
        if (!Files.exists(target)) {
            Files.createFile(target);
        }
        try (ZipRewriter writer = new ZipRewriter(channel, target)) {
            writer.copyPrefix(layout.prefixEnd());
            for (ZipLayout.Entry entry : layout.entries()) {
                if (entry.name().equals(SIGNATURE)) {
                    continue;
                }
                if (entry == mapEntry) {
                    writer.replace(entry, newMap);
                } else if (changed.containsKey(entry)) {
                    BlockStream.Written written = writer.replaceInBlocks(entry, changed.get(entry), map.newDigest());
                    if (!sameStorage(written, planned.get(entry))) {
                        throw new IOException("the blocks of " + entry.name() + " came out differently twice");
                    }
                } else {
                    writer.copy(entry);
                }
            }
            writer.finish(layout);
        }
        return true;
    }

    private static AppxBlockMap parse(Path mapFile, String displayPath) throws SigningException, IOException {
        try {
            return AppxBlockMap.parse(Files.readAllBytes(mapFile));
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The package " + displayPath + " was left untouched because "
                    + e.getMessage() + ".");
        }
    }

    private static boolean sameStorage(BlockStream.Written a, BlockStream.Written b) {
        if (a.crc() != b.crc() || a.size() != b.size() || a.compressed() != b.compressed()
                || a.blocks().size() != b.blocks().size()) {
            return false;
        }
        List<AppxBlockMap.Block> x = a.blocks();
        List<AppxBlockMap.Block> y = b.blocks();
        for (int i = 0; i < x.size(); i++) {
            if (x.get(i).compressedSize() != y.get(i).compressedSize()
                    || !java.util.Arrays.equals(x.get(i).hash(), y.get(i).hash())) {
                return false;
            }
        }
        return true;
    }
}
