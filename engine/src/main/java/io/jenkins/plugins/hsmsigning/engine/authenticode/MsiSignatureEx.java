package io.jenkins.plugins.hsmsigning.engine.authenticode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.DocumentEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * The {@code MsiDigitalSignatureEx} stream of a Windows Installer package: a digest, made with the signature's own
 * digest algorithm, of the metadata (names, sizes, times) of the package's streams. signtool and
 * {@code osslsigncode -add-msi-dse} write it; the signed digest then covers it too, so it belongs to the signature it
 * was made for. Windows' installer signature interface (and osslsigncode, which mirrors it) recompute it for every
 * signature in the file with that signature's digest algorithm, so it must be as long as that digest.
 *
 * <p>Hence the engine's rule: when every earlier signature is replaced, the stream goes with them (the new signature
 * is made without one, as jsign and osslsigncode make theirs by default, which Windows accepts: the stream is
 * optional); when an earlier signature is kept, the stream stays, and a nested signature is only possible with the
 * digest the stream was made for. Recomputing the stream for a new digest would break the kept signatures.
 */
final class MsiSignatureEx {

    static final String STREAM = "\u0005MsiDigitalSignatureEx";

    private MsiSignatureEx() {
    }

    /**
     * The stream's length in bytes, or 0 when the package has none. Reads the file without writing it: a file of
     * whole sectors from disk, any other (which Apache POI would extend when mapping its last sector) into memory, as
     * {@link AuthenticodeKind#openReadOnly} does.
     */
    static int length(Path file) throws IOException {
        try {
            if (AuthenticodeKind.wholeSectors(file)) {
                try (POIFSFileSystem fs = new POIFSFileSystem(file.toFile(), true)) {
                    return length(fs);
                }
            }
            try (InputStream in = Files.newInputStream(file); POIFSFileSystem fs = new POIFSFileSystem(in)) {
                return length(fs);
            }
        } catch (RuntimeException e) {
            throw new IOException("its compound file cannot be read", e);
        }
    }

    private static int length(POIFSFileSystem fs) throws IOException {
        DirectoryEntry root = fs.getRoot();
        return root.hasEntry(STREAM) && root.getEntry(STREAM) instanceof DocumentEntry stream ? stream.getSize() : 0;
    }

    /** "SHA-1", "SHA-256", ...: the digest whose length the stream has, for messages. */
    static String digestNamed(int length) {
        return switch (length) {
            case 16 -> "MD5";
            case 20 -> "SHA-1";
            case 32 -> "SHA-256";
            case 48 -> "SHA-384";
            case 64 -> "SHA-512";
            default -> "an unknown digest (" + length + " bytes)";
        };
    }
}
