package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeFormat;
import io.jenkins.plugins.hsmsigning.engine.cms.CmsFormat;
import io.jenkins.plugins.hsmsigning.engine.jar.JarFormat;
import io.jenkins.plugins.hsmsigning.engine.pgp.PgpFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The formats the engine knows, and which of them apply to a given file. */
public final class Formats {

    private static final List<DetachedFormat> DETACHED = List.of(new CmsFormat(), new PgpFormat());
    private static final List<EmbeddedFormat> EMBEDDED = List.of(new AuthenticodeFormat(), new JarFormat());

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

    /**
     * The formats to apply to {@code file}: the requested ones, or with "auto" the embedded format the file is
     * (scripts excepted, see {@link EmbeddedFormat#signsByDefault}), else CMS. Embedded formats come first, so that detached signatures cover the signed file.
     */
    public static List<Format> resolve(Path file, Set<Format> requested) throws IOException {
        List<Format> formats = new ArrayList<>();
        if (requested.isEmpty()) {
            for (EmbeddedFormat embedded : EMBEDDED) {
                if (embedded.signsByDefault(file)) {
                    formats.add(embedded.format());
                    return formats;
                }
            }
            formats.add(Format.CMS);
            return formats;
        }
        requested.stream().filter(f -> !f.detached()).forEach(formats::add);
        requested.stream().filter(Format::detached).forEach(formats::add);
        return formats;
    }

    /** Whether a file name is one of the engine's own signature files, which are never signed themselves. */
    public static boolean isSignatureFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (DetachedFormat f : DETACHED) {
            if (lower.endsWith(f.format().extension())) {
                return true;
            }
        }
        return false;
    }
}
