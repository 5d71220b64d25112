package io.jenkins.plugins.hsmsigning.engine.keys;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.NativeLongByReference;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A logged-in read-write PKCS#11 session through JNA, for what SunPKCS11 cannot do: see keys that have no
 * certificate yet, sign with them (a certificate request), and store a certificate with a given CKA_ID. The library
 * is initialised by {@link Pkcs11Slots} and shared with SunPKCS11. The PIN is checked by a login of its own, so a
 * token another user of the process is logged in to is refused rather than used unchecked; the login ends on close.
 */
final class Pkcs11Session implements AutoCloseable {

    static final long CKO_CERTIFICATE = 1;
    static final long CKO_PUBLIC_KEY = 2;
    static final long CKO_PRIVATE_KEY = 3;
    static final long CKA_CLASS = 0x0;
    static final long CKA_TOKEN = 0x1;
    static final long CKA_LABEL = 0x3;
    static final long CKA_VALUE = 0x11;
    static final long CKA_CERTIFICATE_TYPE = 0x80;
    static final long CKA_ISSUER = 0x81;
    static final long CKA_SERIAL_NUMBER = 0x82;
    static final long CKA_KEY_TYPE = 0x100;
    static final long CKA_SUBJECT = 0x101;
    static final long CKA_ID = 0x102;
    static final long CKA_MODULUS = 0x120;
    static final long CKA_PUBLIC_EXPONENT = 0x122;
    static final long CKA_EC_PARAMS = 0x180;
    static final long CKA_EC_POINT = 0x181;
    static final long CKK_RSA = 0x0;
    static final long CKK_EC = 0x3;
    static final long CKM_SHA256_RSA_PKCS = 0x40;
    static final long CKM_ECDSA = 0x1041;

    private static final long CKR_OK = 0;
    private static final long CKR_ATTRIBUTE_TYPE_INVALID = 0x12;
    private static final long CKR_PIN_INCORRECT = 0xA0;
    private static final long CKR_PIN_LOCKED = 0xA4;
    private static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
    private static final long CKF_RW_SESSION = 0x2;
    private static final long CKF_SERIAL_SESSION = 0x4;
    private static final long CKU_USER = 1;
    private static final long UNAVAILABLE = -1L;
    private static final int MAX_OBJECTS = 256;
    private static final Map<Path, Functions> LIBRARIES = new ConcurrentHashMap<>();

    /** The functions this class calls; CK_ULONG and handles are NativeLong. */
    public interface Functions extends Library {
        NativeLong C_OpenSession(NativeLong slot, NativeLong flags, Pointer application, Pointer notify,
                NativeLongByReference session);

        NativeLong C_CloseSession(NativeLong session);

        NativeLong C_Login(NativeLong session, NativeLong userType, byte[] pin, NativeLong pinLength);

        NativeLong C_Logout(NativeLong session);

        NativeLong C_FindObjectsInit(NativeLong session, Pointer template, NativeLong count);

        NativeLong C_FindObjects(NativeLong session, NativeLong[] objects, NativeLong max, NativeLongByReference n);

        NativeLong C_FindObjectsFinal(NativeLong session);

        NativeLong C_GetAttributeValue(NativeLong session, NativeLong object, Pointer template, NativeLong count);

        NativeLong C_CreateObject(NativeLong session, Pointer template, NativeLong count, NativeLongByReference object);

        NativeLong C_SignInit(NativeLong session, Pointer mechanism, NativeLong key);

        NativeLong C_Sign(NativeLong session, byte[] data, NativeLong dataLength, byte[] signature,
                NativeLongByReference signatureLength);
    }

    /** CK_ATTRIBUTE; PKCS#11 structures are packed on Windows. */
    @Structure.FieldOrder({"type", "pValue", "ulValueLen"})
    public static class Attribute extends Structure {
        public NativeLong type;
        public Pointer pValue;
        public NativeLong ulValueLen;

        public Attribute() {
            super(Platform.isWindows() ? Structure.ALIGN_NONE : Structure.ALIGN_DEFAULT);
        }
    }

    /** CK_MECHANISM without parameters. */
    @Structure.FieldOrder({"mechanism", "pParameter", "ulParameterLen"})
    public static class Mechanism extends Structure {
        public NativeLong mechanism;
        public Pointer pParameter;
        public NativeLong ulParameterLen;

        public Mechanism() {
            super(Platform.isWindows() ? Structure.ALIGN_NONE : Structure.ALIGN_DEFAULT);
        }
    }

    private final Functions p11;
    private final NativeLong session;
    private final String tokenName;
    private boolean loggedIn;

    private Pkcs11Session(Functions p11, NativeLong session, String tokenName) {
        this.p11 = p11;
        this.session = session;
        this.tokenName = tokenName;
    }

    /** Opens a read-write session on {@code slot} and logs in once with {@code pin} (never retried). */
    static Pkcs11Session open(Path library, long slot, String tokenName, Secret pin) throws SigningException {
        Pkcs11Slots.all(library);
        Functions p11 = LIBRARIES.computeIfAbsent(library, l -> Native.load(l.toString(), Functions.class));
        NativeLongByReference handle = new NativeLongByReference();
        check(p11.C_OpenSession(new NativeLong(slot), new NativeLong(CKF_SERIAL_SESSION | CKF_RW_SESSION), null,
                null, handle), "C_OpenSession", tokenName);
        Pkcs11Session opened = new Pkcs11Session(p11, handle.getValue(), tokenName);
        try {
            opened.login(pin);
            return opened;
        } catch (SigningException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private void login(Secret pin) throws SigningException {
        char[] chars = pin.chars();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(encoded.array(), (byte) 0);
        long rc;
        try {
            rc = p11.C_Login(session, new NativeLong(CKU_USER), bytes, new NativeLong(bytes.length)).longValue();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (rc == CKR_PIN_INCORRECT) {
            throw new SigningException(Kind.KEY, "Wrong PIN for " + tokenName + ": the token refused the login. It "
                    + "is not retried, because tokens lock after a few failures.");
        }
        if (rc == CKR_PIN_LOCKED) {
            throw new SigningException(Kind.KEY, "The PIN of " + tokenName + " is locked: unlock it with the "
                    + "token's administration tool.");
        }
        if (rc == CKR_USER_ALREADY_LOGGED_IN) {
            throw new SigningException(Kind.KEY, tokenName + " is already logged in by another user in this process, "
                    + "so the PIN given cannot be checked; run the command on its own.");
        }
        check(new NativeLong(rc), "C_Login", tokenName);
        loggedIn = true;
    }

    /** Handles of the objects whose attributes equal {@code match} (type to value: Long or byte[]). */
    List<NativeLong> find(Map<Long, Object> match) throws SigningException {
        Memory[] values = new Memory[match.size()];
        Attribute[] template = template(match.size());
        int i = 0;
        for (Map.Entry<Long, Object> e : match.entrySet()) {
            byte[] value = e.getValue() instanceof Long l ? ulong(l) : (byte[]) e.getValue();
            values[i] = new Memory(Math.max(1, value.length));
            values[i].write(0, value, 0, value.length);
            set(template[i], e.getKey(), values[i], value.length);
            i++;
        }
        check(p11.C_FindObjectsInit(session, match.isEmpty() ? null : template[0].getPointer(),
                new NativeLong(match.size())), "C_FindObjectsInit", tokenName);
        Reference.reachabilityFence(values);
        List<NativeLong> found = new ArrayList<>();
        try {
            NativeLong[] batch = new NativeLong[MAX_OBJECTS];
            NativeLongByReference count = new NativeLongByReference();
            check(p11.C_FindObjects(session, batch, new NativeLong(MAX_OBJECTS), count), "C_FindObjects",
                    tokenName);
            found.addAll(Arrays.asList(batch).subList(0, (int) count.getValue().longValue()));
        } finally {
            p11.C_FindObjectsFinal(session);
        }
        return found;
    }

    /** The value of one attribute, or null when the object has no such attribute or keeps it secret. */
    byte[] attribute(NativeLong object, long type) throws SigningException {
        Attribute[] template = template(1);
        set(template[0], type, null, 0);
        long rc = p11.C_GetAttributeValue(session, object, template[0].getPointer(), new NativeLong(1)).longValue();
        template[0].read();
        long length = template[0].ulValueLen.longValue();
        if (rc == CKR_ATTRIBUTE_TYPE_INVALID || length == UNAVAILABLE || rc != CKR_OK && length <= 0) {
            return null;
        }
        check(new NativeLong(rc), "C_GetAttributeValue", tokenName);
        if (length == 0) {
            return new byte[0];
        }
        Memory value = new Memory(length);
        set(template[0], type, value, length);
        check(p11.C_GetAttributeValue(session, object, template[0].getPointer(), new NativeLong(1)),
                "C_GetAttributeValue", tokenName);
        template[0].read();
        return value.getByteArray(0, (int) template[0].ulValueLen.longValue());
    }

    /** A CK_ULONG attribute as a number, or null. */
    Long ulongAttribute(NativeLong object, long type) throws SigningException {
        byte[] value = attribute(object, type);
        if (value == null || value.length != NativeLong.SIZE) {
            return null;
        }
        Memory memory = new Memory(NativeLong.SIZE);
        memory.write(0, value, 0, value.length);
        return memory.getNativeLong(0).longValue();
    }

    /** Creates a token object with these attributes (type to value: Long, Boolean or byte[]). */
    void create(Map<Long, Object> attributes) throws SigningException {
        Attribute[] template = template(attributes.size());
        Memory[] values = new Memory[attributes.size()];
        int i = 0;
        for (Map.Entry<Long, Object> e : attributes.entrySet()) {
            byte[] value = e.getValue() instanceof Long l ? ulong(l)
                    : e.getValue() instanceof Boolean b ? new byte[] {(byte) (b ? 1 : 0)} : (byte[]) e.getValue();
            values[i] = new Memory(Math.max(1, value.length));
            values[i].write(0, value, 0, value.length);
            set(template[i], e.getKey(), values[i], value.length);
            i++;
        }
        check(p11.C_CreateObject(session, template[0].getPointer(), new NativeLong(attributes.size()),
                new NativeLongByReference()), "C_CreateObject", tokenName);
        Reference.reachabilityFence(values);
    }

    /** One signature with {@code mechanism} (no parameters) by the private key {@code key}. */
    byte[] sign(NativeLong key, long mechanism, byte[] data) throws SigningException {
        Mechanism m = new Mechanism();
        m.mechanism = new NativeLong(mechanism);
        m.write();
        check(p11.C_SignInit(session, m.getPointer(), key), "C_SignInit", tokenName);
        NativeLongByReference length = new NativeLongByReference();
        check(p11.C_Sign(session, data, new NativeLong(data.length), null, length), "C_Sign", tokenName);
        byte[] signature = new byte[(int) length.getValue().longValue()];
        check(p11.C_Sign(session, data, new NativeLong(data.length), signature, length), "C_Sign", tokenName);
        return Arrays.copyOf(signature, (int) length.getValue().longValue());
    }

    /** Logs out (the login is the whole process's, not only this session's) and closes the session. */
    @Override
    public void close() {
        if (loggedIn) {
            p11.C_Logout(session);
            loggedIn = false;
        }
        p11.C_CloseSession(session);
    }

    private static Attribute[] template(int size) {
        return (Attribute[]) new Attribute().toArray(Math.max(1, size));
    }

    private static void set(Attribute attribute, long type, Pointer value, long length) {
        attribute.type = new NativeLong(type);
        attribute.pValue = value;
        attribute.ulValueLen = new NativeLong(length);
        attribute.write();
    }

    private static byte[] ulong(long value) {
        Memory memory = new Memory(NativeLong.SIZE);
        memory.setNativeLong(0, new NativeLong(value));
        return memory.getByteArray(0, NativeLong.SIZE);
    }

    private static void check(NativeLong rc, String function, String tokenName) throws SigningException {
        if (rc.longValue() != CKR_OK) {
            throw new SigningException(Kind.KEY, tokenName + " failed in " + function + " ("
                    + Pkcs11Errors.name(rc.longValue()) + ").");
        }
    }
}
