package io.jenkins.plugins.hsmsigning.engine.cloud;

import io.jenkins.plugins.hsmsigning.engine.Secret;
import java.util.Arrays;

/** The few places where a secret must become text: a form field or a header sent to the service it belongs to. */
final class SecretText {

    private SecretText() {
    }

    static String reveal(Secret secret) {
        char[] chars = secret.chars();
        try {
            return new String(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** A copy the session owns and closes, so that the caller may close its own at once. */
    static Secret copy(Secret secret) {
        if (secret == null) {
            return Secret.of(new char[0]);
        }
        char[] chars = secret.chars();
        try {
            return Secret.of(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
