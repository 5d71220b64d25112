package io.jenkins.plugins.hsmsigning.engine.keys;

import java.util.Map;

/** Reads PKCS#11 return codes out of SunPKCS11 exceptions, whose classes are not exported to applications. */
final class Pkcs11Errors {

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(0x5L, "CKR_GENERAL_ERROR"),
            Map.entry(0x3L, "CKR_SLOT_ID_INVALID"),
            Map.entry(0x30L, "CKR_DEVICE_ERROR"),
            Map.entry(0x32L, "CKR_DEVICE_REMOVED"),
            Map.entry(0x82L, "CKR_OBJECT_HANDLE_INVALID"),
            Map.entry(0xA0L, "CKR_PIN_INCORRECT"),
            Map.entry(0xA4L, "CKR_PIN_LOCKED"),
            Map.entry(0xB3L, "CKR_SESSION_HANDLE_INVALID"),
            Map.entry(0xE0L, "CKR_TOKEN_NOT_PRESENT"),
            Map.entry(0xE1L, "CKR_TOKEN_NOT_RECOGNIZED"),
            Map.entry(0x101L, "CKR_USER_NOT_LOGGED_IN"),
            Map.entry(0x191L, "CKR_CRYPTOKI_ALREADY_INITIALIZED"));

    private Pkcs11Errors() {
    }

    static String name(long rc) {
        return NAMES.getOrDefault(rc, "CKR 0x" + Long.toHexString(rc));
    }

    static String hint(long rc) {
        return rc == 0x5L ? ": for SoftHSM2, check that SOFTHSM2_CONF names an existing configuration file" : "";
    }

    /** Whether anything in the cause chain names one of {@code codes}. */
    static boolean mentions(Throwable t, String... codes) {
        return firstMentioned(t, codes) != null;
    }

    /** The first of {@code codes} named anywhere in the cause chain, or null. */
    static String firstMentioned(Throwable t, String... codes) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String message = String.valueOf(c.getMessage());
            for (String code : codes) {
                if (message.contains(code)) {
                    return code;
                }
            }
        }
        return null;
    }

    /** The login was lost: another logout, a token reset, or key handles that no longer exist. */
    static boolean loginLost(Throwable t) {
        return mentions(t, "CKR_USER_NOT_LOGGED_IN", "CKR_OBJECT_HANDLE_INVALID", "CKR_SESSION_HANDLE_INVALID",
                "CKR_KEY_HANDLE_INVALID");
    }

    static boolean tokenGone(Throwable t) {
        return mentions(t, "CKR_DEVICE_REMOVED", "CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_ERROR", "CKR_SLOT_ID_INVALID");
    }

    static boolean wrongPin(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.security.auth.login.FailedLoginException) {
                return true;
            }
        }
        return mentions(t, "CKR_PIN_INCORRECT", "CKR_PIN_INVALID", "CKR_PIN_LEN_RANGE");
    }

    static boolean pinLocked(Throwable t) {
        return mentions(t, "CKR_PIN_LOCKED", "CKR_PIN_EXPIRED");
    }

    /** The innermost message, for a one-line explanation. */
    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
