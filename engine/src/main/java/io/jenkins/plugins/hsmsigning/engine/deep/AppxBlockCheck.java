package io.jenkins.plugins.hsmsigning.engine.deep;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that an APPX/MSIX package's block map states the truth about its files: every file is listed, with its
 * size, its local header's size and the hash of each 64 KiB block; for deflated files the blocks' stored sizes add up
 * to the file's compressed size. The package signature covers only the block map, so this is what ties the files to
 * the signature. The package must have passed {@link io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight}.
 */
final class AppxBlockCheck {

    private AppxBlockCheck() {
    }

    /** Null when the block map matches every file, else a phrase saying which file it does not match and how. */
    static String mismatch(Path appx, String displayPath, Path scratch) throws IOException, SigningException {
        try (FileChannel channel = FileChannel.open(appx, StandardOpenOption.READ)) {
            ZipLayout layout = ZipLayout.read(channel, displayPath);
            ZipLayout.Entry mapEntry = layout.entries().stream().filter(e -> e.name().equals(AppxBlockMap.ENTRY))
                    .findFirst().orElse(null);
            if (mapEntry == null) {
                return "it has no " + AppxBlockMap.ENTRY;
            }
            Path mapFile = scratch.resolve("check-block-map.xml");
            Files.deleteIfExists(mapFile);
            ZipRewriter.extract(channel, mapEntry, mapFile);
            AppxBlockMap map = AppxBlockMap.parse(Files.readAllBytes(mapFile));
            Files.delete(mapFile);
            for (ZipLayout.Entry entry : layout.entries()) {
                if (entry.directory() || AppxRepack.FOOTPRINT.contains(entry.name())) {
                    continue;
                }
                String problem = mismatch(channel, entry, map);
                if (problem != null) {
                    return "its " + AppxBlockMap.ENTRY + " " + problem;
                }
            }
            return null;
        }
    }

    private static String mismatch(FileChannel channel, ZipLayout.Entry entry, AppxBlockMap map) throws IOException {
        AppxBlockMap.Listing listing = map.listing(entry.name());
        if (listing == null) {
            return "does not list " + entry.name();
        }
        if (listing.size() != entry.size() || listing.lfhSize() != entry.dataStart() - entry.localOffset()) {
            return "states another size for " + entry.name();
        }
        List<AppxBlockMap.Block> blocks = listing.blocks();
        if (blocks.size() != (entry.size() + AppxBlockMap.BLOCK - 1) / AppxBlockMap.BLOCK) {
            return "states another number of blocks for " + entry.name();
        }
        if (entry.method() == 8 && !blocks.isEmpty()
                && blocks.stream().mapToLong(AppxBlockMap.Block::compressedSize).sum() != entry.compressedSize()) {
            return "states other compressed block sizes for " + entry.name();
        }
        MessageDigest digest = map.newDigest();
        byte[] block = new byte[AppxBlockMap.BLOCK];
        try (InputStream data = ZipRewriter.open(channel, entry)) {
            for (AppxBlockMap.Block expected : blocks) {
                int n = data.readNBytes(block, 0, block.length);
                digest.reset();
                digest.update(block, 0, n);
                if (!Arrays.equals(digest.digest(), expected.hash())) {
                    return "states another hash for a block of " + entry.name();
                }
            }
        }
        return null;
    }
}
