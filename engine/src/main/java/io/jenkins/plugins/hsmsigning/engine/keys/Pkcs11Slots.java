package io.jenkins.plugins.hsmsigning.engine.keys;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.NativeLongByReference;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Lists a PKCS#11 library's slots and token labels through JNA. SunPKCS11 can select a slot only by id or index,
 * and its own wrapper is not exported to applications, so this is how a token is found by label without JVM flags.
 * The library is initialised (with OS locking, as SunPKCS11 does) and never finalised, so SunPKCS11 can share it.
 */
final class Pkcs11Slots {

    private static final long CKR_OK = 0;
    private static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
    private static final long CKF_OS_LOCKING_OK = 0x2;
    private static final int LABEL_LENGTH = 32;
    private static final int TOKEN_INFO_SIZE = 512;
    private static final Map<Path, Cryptoki> LIBRARIES = new ConcurrentHashMap<>();

    /** One slot with the label of the token in it. */
    record Slot(long id, String tokenLabel) {
    }

    /** The few functions of a PKCS#11 library this class calls. */
    public interface Cryptoki extends Library {
        NativeLong C_Initialize(InitArgs args);

        NativeLong C_GetSlotList(byte tokenPresent, NativeLong[] slots, NativeLongByReference count);

        NativeLong C_GetTokenInfo(NativeLong slot, Pointer info);
    }

    /** CK_C_INITIALIZE_ARGS. */
    @Structure.FieldOrder({"createMutex", "destroyMutex", "lockMutex", "unlockMutex", "flags", "reserved"})
    public static class InitArgs extends Structure {
        public Pointer createMutex;
        public Pointer destroyMutex;
        public Pointer lockMutex;
        public Pointer unlockMutex;
        public NativeLong flags;
        public Pointer reserved;

        public InitArgs() {
            super(Platform.isWindows() ? Structure.ALIGN_NONE : Structure.ALIGN_DEFAULT);
        }
    }

    private Pkcs11Slots() {
    }

    /**
     * The slot chosen by exactly one of a token label, a slot id or a slot list index; a label names the tokens
     * found when none matches.
     */
    static long resolve(Path library, String tokenLabel, Long slotId, Integer slotListIndex)
            throws SigningException {
        int selectors = (tokenLabel != null ? 1 : 0) + (slotId != null ? 1 : 0) + (slotListIndex != null ? 1 : 0);
        if (selectors != 1) {
            throw new SigningException(Kind.CONFIGURATION, "Choose the token of " + library
                    + " by exactly one of token label, slot id or slot list index (" + selectors + " are set).");
        }
        if (slotId != null) {
            return slotId;
        }
        if (slotListIndex != null) {
            List<Pkcs11Slots.Slot> slots = Pkcs11Slots.all(library);
            if (slotListIndex < 0 || slotListIndex >= slots.size()) {
                throw new SigningException(Kind.KEY, "The PKCS#11 library " + library + " has " + slots.size()
                        + " slots, so slot list index " + slotListIndex + " does not exist.");
            }
            return slots.get(slotListIndex).id();
        }
        List<Pkcs11Slots.Slot> slots = Pkcs11Slots.withTokens(library);
        for (Pkcs11Slots.Slot slot : slots) {
            if (tokenLabel.equals(slot.tokenLabel())) {
                return slot.id();
            }
        }
        String found = slots.stream().map(Pkcs11Slots.Slot::tokenLabel).filter(Objects::nonNull)
                .filter(l -> !l.isEmpty()).map(l -> "'" + l + "'").collect(Collectors.joining(", "));
        throw new SigningException(Kind.KEY, "No token with label '" + tokenLabel + "' in PKCS#11 library " + library
                + (found.isEmpty() ? " (it has no initialised token)." : " (tokens found: " + found + ")."));
    }

    /** Slots that hold a token, in the library's order. */
    static List<Slot> withTokens(Path library) throws SigningException {
        return list(library, true);
    }

    /** All slots, in the order SunPKCS11 counts them for {@code slotListIndex}. */
    static List<Slot> all(Path library) throws SigningException {
        return list(library, false);
    }

    private static List<Slot> list(Path library, boolean tokenPresent) throws SigningException {
        Cryptoki p11 = load(library);
        NativeLongByReference count = new NativeLongByReference();
        byte present = (byte) (tokenPresent ? 1 : 0);
        check(p11.C_GetSlotList(present, null, count), "C_GetSlotList", library);
        NativeLong[] ids = new NativeLong[(int) count.getValue().longValue()];
        if (ids.length == 0) {
            return List.of();
        }
        check(p11.C_GetSlotList(present, ids, count), "C_GetSlotList", library);
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < count.getValue().longValue(); i++) {
            Memory info = new Memory(TOKEN_INFO_SIZE);
            info.clear();
            long rc = p11.C_GetTokenInfo(ids[i], info).longValue();
            String label = rc == CKR_OK
                    ? new String(info.getByteArray(0, LABEL_LENGTH), StandardCharsets.UTF_8).strip() : null;
            slots.add(new Slot(ids[i].longValue(), label));
        }
        return slots;
    }

    private static synchronized Cryptoki load(Path library) throws SigningException {
        Cryptoki cached = LIBRARIES.get(library);
        if (cached != null) {
            return cached;
        }
        Cryptoki p11;
        try {
            p11 = Native.load(library.toString(), Cryptoki.class);
        } catch (UnsatisfiedLinkError e) {
            throw new SigningException(Kind.KEY, "The PKCS#11 library " + library
                    + " cannot be loaded: it is not a PKCS#11 library for this platform (" + e.getMessage() + ").", e);
        }
        InitArgs args = new InitArgs();
        args.flags = new NativeLong(CKF_OS_LOCKING_OK);
        long rc;
        try {
            rc = p11.C_Initialize(args).longValue();
        } catch (UnsatisfiedLinkError e) {
            throw new SigningException(Kind.KEY, "The library " + library
                    + " is not a PKCS#11 library: it has no C_Initialize function.", e);
        }
        if (rc != CKR_OK && rc != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
            throw new SigningException(Kind.KEY, "The PKCS#11 library " + library + " failed to initialise ("
                    + Pkcs11Errors.name(rc) + ")" + Pkcs11Errors.hint(rc) + ".");
        }
        LIBRARIES.put(library, p11);
        return p11;
    }

    private static void check(NativeLong rc, String function, Path library) throws SigningException {
        if (rc.longValue() != CKR_OK) {
            throw new SigningException(Kind.KEY, "The PKCS#11 library " + library + " failed in " + function + " ("
                    + Pkcs11Errors.name(rc.longValue()) + ").");
        }
    }
}
