package io.jenkins.plugins.hsmsigning.engine.jar;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import io.jenkins.plugins.hsmsigning.engine.io.ArchiveNames;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * What a JAR must hold before it is signed, beyond a sound ZIP layout: a manifest that matches the entries (every
 * per-entry digest it states, for an algorithm this JVM knows, must name an entry that exists and be that entry's
 * digest; JarSigner would silently overwrite a wrong one, blessing whatever changed the entry) and signature blocks
 * that can be read (a garbage block would survive next to the new signature). Runs after
 * {@link io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight#checkArchive}, so every entry read here is bounded.
 */
final class JarContents {

    private JarContents() {
    }

    static void checkForSigning(ZipFile zip, String name) throws SigningException {
        try {
            ZipEntry manifestEntry = zip.getEntry(JarFile.MANIFEST_NAME);
            if (manifestEntry != null) {
                Manifest manifest;
                try (InputStream in = zip.getInputStream(manifestEntry)) {
                    manifest = new Manifest(in);
                } catch (IOException e) {
                    throw problem(name, "has a manifest that cannot be read (" + Reasons.detail(e) + ")");
                }
                for (Map.Entry<String, Attributes> section : manifest.getEntries().entrySet()) {
                    checkSection(zip, name, section.getKey(), section.getValue());
                }
            }
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (isBlock(entry.getName())) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        new CMSSignedData(in).getSignerInfos();
                    } catch (IOException | CMSException | RuntimeException e) {
                        throw problem(name, "carries a signature block '" + ArchiveNames.printable(entry.getName())
                                + "' that cannot be read; such JARs are refused");
                    }
                }
            }
        } catch (IOException e) {
            throw new SigningException(Kind.INPUT, "The JAR " + name + " cannot be read: " + Reasons.detail(e) + ".",
                    e);
        }
    }

    private static void checkSection(ZipFile zip, String name, String entryName, Attributes attributes)
            throws IOException, SigningException {
        for (Object key : attributes.keySet()) {
            String attribute = key.toString();
            if (!attribute.toUpperCase(Locale.ROOT).endsWith("-DIGEST")) {
                continue;
            }
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance(attribute.substring(0, attribute.length() - "-Digest".length()));
            } catch (NoSuchAlgorithmException e) {
                continue;
            }
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null || entry.isDirectory()) {
                throw problem(name, "has a manifest that does not match its entries: it states a digest for '"
                        + ArchiveNames.printable(entryName) + "', which the archive does not contain; such JARs are "
                        + "refused");
            }
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = zip.getInputStream(entry)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
            byte[] stated;
            try {
                stated = Base64.getMimeDecoder().decode(attributes.getValue(attribute).trim());
            } catch (IllegalArgumentException e) {
                stated = new byte[0];
            }
            if (!MessageDigest.isEqual(stated, digest.digest())) {
                throw problem(name, "has a manifest that does not match its entries: the digest it states for '"
                        + ArchiveNames.printable(entryName) + "' is not that entry's, so the entry changed after the "
                        + "manifest was written; such JARs are refused");
            }
        }
    }

    /** A signature block directly in META-INF, as JarFile reads them. */
    static boolean isBlock(String entryName) {
        String upper = entryName.toUpperCase(Locale.ENGLISH);
        return upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                && (upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC"));
    }

    private static SigningException problem(String name, String text) {
        return new SigningException(Kind.INPUT, "The JAR " + name + " " + text + ".");
    }
}
