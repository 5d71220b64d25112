package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.attest.AttestationFiles;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeFormat;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeKind;
import io.jenkins.plugins.hsmsigning.engine.cms.CmsFormat;
import io.jenkins.plugins.hsmsigning.engine.jar.JarFormat;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The formats the engine knows, and which of them apply to a given file. */
public final class Formats {

    private static final List<DetachedFormat> DETACHED = List.of(new CmsFormat(), new PgpFormat());
    private static final List<EmbeddedFormat> EMBEDDED = List.of(new AuthenticodeFormat(), new JarFormat());
    /**
     * Names of binary kinds the embedded formats sign (scripts excluded: they are recognised by their name already).
     * Under "auto", a file so named must be of such a kind ({@link #refuseMisnamed}).
     */
    private static final Pattern EMBEDDED_EXTENSION = Pattern.compile("(?i)\\.(exe|dll|sys|ocx|scr|cpl|efi|mui|msi|msp"
            + "|mst|cab|cat|appx|appxbundle|msix|msixbundle|nupkg|snupkg|jar|war|ear)$");

    private Formats() {
    }

    public static DetachedFormat detached(Format format) {
        return DETACHED.stream().filter(f -> f.format() == format).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(format + " is not detached"));
    }

    public static EmbeddedFormat embedded(Format format) throws SigningException {
        return EMBEDDED.stream().filter(f -> f.format() == format).findFirst()
                .orElseThrow(() -> new SigningException(Kind.CONFIGURATION, "The " + format.id()
                        + " format is not available in this version."));
    }

    public static List<DetachedFormat> allDetached() {
        return DETACHED;
    }

    /** The embedded format whose content {@code file} has, or null. */
    public static EmbeddedFormat recognize(Path file) throws IOException {
        for (EmbeddedFormat format : EMBEDDED) {
            if (format.recognizes(file)) {
                return format;
            }
        }
        return null;
    }

    /** The embedded format "auto" signs {@code file} in (see {@link EmbeddedFormat#signsByDefault}), or null. */
    public static EmbeddedFormat signedByDefault(Path file) throws IOException {
        for (EmbeddedFormat format : EMBEDDED) {
            if (format.signsByDefault(file)) {
                return format;
            }
        }
        return null;
    }

    /**
     * The formats to apply to {@code file}: the requested ones, or with "auto" the embedded format the file is
     * (scripts excepted, see {@link EmbeddedFormat#signsByDefault}), else CMS. Embedded formats come first, so that
     * detached signatures cover the signed file.
     *
     * <p>"Auto" never falls back to a detached signature for a file that only looks like a plain file because it is
     * damaged: a file whose first bytes claim an embedded kind but that is damaged ({@link #refuseDamaged}), and an
     * empty file named like one ({@code app.exe}, {@code lib.jar}, ...), are refused. An intact file of another kind
     * that shares a container (an OLE document that is not an installer, a ZIP without a manifest) gets CMS, once its
     * ZIP layout, if it is one, has passed {@link ZipPreflight#checkLayout}.
     */
    public static List<Format> resolve(Path file, String displayPath, Set<Format> requested)
            throws IOException, SigningException {
        return requested.isEmpty() ? List.of(auto(file, displayPath)) : explicit(requested);
    }

    /** With {@code auto}, what "auto" picks for {@code file}, then the {@code requested} detached formats. */
    public static List<Format> resolve(Path file, String displayPath, Set<Format> requested, boolean auto)
            throws IOException, SigningException {
        if (!auto) {
            return resolve(file, displayPath, requested);
        }
        List<Format> formats = new ArrayList<>(List.of(auto(file, displayPath)));
        requested.stream().filter(f -> !formats.contains(f)).forEach(formats::add);
        return formats;
    }

    private static Format auto(Path file, String displayPath) throws IOException, SigningException {
        for (EmbeddedFormat embedded : EMBEDDED) {
            if (embedded.signsByDefault(file)) {
                return embedded.format();
            }
        }
        if (Files.size(file) == 0 && EMBEDDED_EXTENSION.matcher(displayPath).find()) {
            throw new SigningException(Kind.INPUT, "The artifact " + displayPath + " is empty (0 bytes), though "
                    + "its name says it is a signed kind of file; it was left untouched.");
        }
        refuseDamaged(file, displayPath);
        refuseMisnamed(file, displayPath);
        return Format.CMS;
    }

    private static List<Format> explicit(Set<Format> requested) {
        List<Format> formats = new ArrayList<>();
        requested.stream().filter(f -> !f.detached()).forEach(formats::add);
        requested.stream().filter(Format::detached).forEach(formats::add);
        return formats;
    }

    /**
     * Refuses a file whose first bytes claim a kind an embedded format signs but which is damaged: a DOS header
     * without a usable PE header, a cut or broken OLE compound file ({@link AuthenticodeKind#damage}), or a ZIP archive
     * whose layout is damaged or hostile ({@link ZipPreflight#checkLayout}: escaping or repeated entry names,
     * lying sizes and offsets). Files that claim no such kind pass. Reads are bounded; nothing is written.
     */
    public static void refuseDamaged(Path file, String displayPath) throws IOException, SigningException {
        String damage = AuthenticodeKind.damage(file, displayPath);
        if (damage != null) {
            throw new SigningException(Kind.INPUT, damage);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (ZipPreflight.isZip(head)) {
            ZipPreflight.checkLayout(file, displayPath, false);
        }
    }

    /**
     * Under "auto", refuses a file whose name says it is a kind with an embedded signature (a Windows executable,
     * installer, cabinet, catalog, package or Java archive) but whose content is not one: such a file would
     * otherwise quietly get a detached signature, and whatever consumes it would find it unsigned. Explicit formats
     * (cms, pgp) still sign it detached.
     */
    static void refuseMisnamed(Path file, String displayPath) throws IOException, SigningException {
        Matcher name = EMBEDDED_EXTENSION.matcher(displayPath);
        if (!name.find()) {
            return;
        }
        String extension = name.group(1).toLowerCase(Locale.ROOT);
        throw new SigningException(Kind.INPUT, "The artifact " + displayPath + " is named like "
                + NamedKinds.claimed(extension) + " (." + extension + "), but its content is "
                + NamedKinds.content(file) + ", so it was left untouched: rename it, or ask for a detached format "
                + "(cms or pgp) explicitly.");
    }

    /**
     * Whether a file name is one of the engine's own signature files, which are never signed themselves: detached
     * signatures, and attestation bundles with the certificate chains beside them.
     */
    public static boolean isSignatureFile(String name) {
        if (AttestationFiles.isAttestationFile(name)) {
            return true;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (DetachedFormat f : DETACHED) {
            if (lower.endsWith(f.format().extension())) {
                return true;
            }
        }
        return false;
    }
}
