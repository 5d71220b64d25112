package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The hash method an APPX/MSIX package or bundle states in its {@code AppxBlockMap.xml}. Windows' package signature
 * interface hashes the package with that algorithm only: signtool refuses a {@code /fd} that differs, and a
 * signature whose digest differs is rejected by Windows and by osslsigncode ("Failed to extract hashes from the
 * signature"), though jsign makes one without complaint. So the engine signs packages with this algorithm.
 */
final class AppxHashMethod {

    private static final String BLOCK_MAP = "AppxBlockMap.xml";
    /** The root element, which states the hash method, comes first. */
    private static final int HEAD = 4096;
    private static final Pattern HASH_METHOD = Pattern.compile("HashMethod\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Map<String, DigestAlgorithm> METHODS = Map.of(
            "http://www.w3.org/2001/04/xmlenc#sha256", DigestAlgorithm.SHA256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384", DigestAlgorithm.SHA384,
            "http://www.w3.org/2001/04/xmlenc#sha512", DigestAlgorithm.SHA512);

    private AppxHashMethod() {
    }

    /**
     * The package's hash method as a digest algorithm; an {@link IOException} with a phrase for messages when the
     * package has no block map or states a method Windows does not know.
     */
    static DigestAlgorithm of(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(BLOCK_MAP);
            if (entry == null) {
                throw new IOException("it has no " + BLOCK_MAP + ", which every APPX/MSIX package has");
            }
            byte[] head;
            try (InputStream in = zip.getInputStream(entry)) {
                head = in.readNBytes(HEAD);
            }
            Matcher m = HASH_METHOD.matcher(new String(head, StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IOException("its " + BLOCK_MAP + " states no HashMethod");
            }
            DigestAlgorithm digest = METHODS.get(m.group(1).trim());
            if (digest == null) {
                throw new IOException("its " + BLOCK_MAP + " states the hash method " + m.group(1)
                        + ", which is not SHA-256, SHA-384 or SHA-512");
            }
            return digest;
        }
    }
}
