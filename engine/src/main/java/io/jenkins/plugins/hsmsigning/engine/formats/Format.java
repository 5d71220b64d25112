package io.jenkins.plugins.hsmsigning.engine.formats;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.util.Locale;

/** The signature formats, by the names users type ({@code cms}, {@code pgp}, {@code authenticode}, {@code jar}). */
public enum Format {
    /** Detached CMS/PKCS#7, DER, in {@code FILE.p7s}. */
    CMS(".p7s"),
    /** Detached OpenPGP, armored, in {@code FILE.asc}. */
    PGP(".asc"),
    /** Embedded in Windows executables, installers, catalogs, scripts and packages. */
    AUTHENTICODE(null),
    /** Embedded in JAR, WAR and EAR files. */
    JAR(null);

    private final String extension;

    Format(String extension) {
        this.extension = extension;
    }

    public boolean detached() {
        return extension != null;
    }

    /** The signature file's extension for detached formats, with its dot; null for embedded ones. */
    public String extension() {
        return extension;
    }

    /** The lower-case name used in options, reports and the plugin. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Format parse(String name) throws SigningException {
        String id = name.trim().toLowerCase(Locale.ROOT);
        for (Format f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        if (id.equals("p7s") || id.equals("pkcs7")) {
            return CMS;
        }
        if (id.equals("openpgp") || id.equals("asc") || id.equals("gpg")) {
            return PGP;
        }
        throw new SigningException(Kind.CONFIGURATION, "Unknown signature format '" + name
                + "': use auto, cms, pgp, authenticode or jar.");
    }
}
