package io.jenkins.plugins.hsmsigning.engine.revocation;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.util.Locale;

/** How much a verdict depends on knowing that no certificate of a chain was revoked. */
public enum RevocationMode {
    /** Not checked. */
    OFF,
    /** A revoked certificate fails; a status that cannot be learnt is a warning. */
    SOFT,
    /** A revoked certificate fails, and so does a status that cannot be learnt. */
    STRICT;

    /** {@code off}, {@code soft} or {@code strict}; blank means {@code soft}. {@code setting} names it in messages. */
    public static RevocationMode parse(String text, String setting) throws SigningException {
        if (text == null || text.isBlank()) {
            return SOFT;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SigningException(Kind.CONFIGURATION, "The " + setting + " '" + text + "' is not valid: use "
                    + "off, soft or strict.");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stricter of the two: a build may raise an administrator's level, never lower it. */
    public RevocationMode atLeast(RevocationMode other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
