package io.jenkins.plugins.hsmsigning.engine.keys;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a shared library (ELF, PE or Mach-O, by its header) from any other file. A PKCS#11 library is loaded into
 * the controller's JVM, so the library setting must name a library, not whatever file the controller can read.
 */
public final class SharedLibraries {

    private static final int HEADER = 4096;

    private SharedLibraries() {
    }

    /** Fails unless {@code file} is a regular file that starts like an ELF, PE or Mach-O binary. */
    public static void check(Path file) throws SigningException {
        if (Files.isDirectory(file)) {
            throw new SigningException(Kind.CONFIGURATION, "The PKCS#11 library " + file + " is a directory: set the"
                    + " path of the module file in it, such as /usr/lib/softhsm/libsofthsm2.so.");
        }
        if (!Files.isRegularFile(file)) {
            throw new SigningException(Kind.KEY, "The PKCS#11 library " + file + " does not exist on this machine.");
        }
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(HEADER);
        } catch (AccessDeniedException e) {
            throw new SigningException(Kind.KEY, "The PKCS#11 library " + file + " cannot be read: permission "
                    + "denied.", e);
        } catch (IOException e) {
            throw new SigningException(Kind.KEY, "The PKCS#11 library " + file + " cannot be read.", e);
        }
        if (!isSharedLibrary(header)) {
            throw new SigningException(Kind.CONFIGURATION, "The PKCS#11 library " + file + " is not a shared library"
                    + " (no ELF, PE or Mach-O header): set the path of the vendor's PKCS#11 module, such as"
                    + " /usr/lib/softhsm/libsofthsm2.so.");
        }
    }

    /** Whether these first bytes of a file are those of an ELF, PE or Mach-O binary. */
    static boolean isSharedLibrary(byte[] h) {
        return isElf(h) || isPe(h) || isMachO(h);
    }

    private static boolean isElf(byte[] h) {
        return h.length >= 16 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
    }

    /** "MZ", then at the offset the DOS header gives, "PE\0\0". */
    private static boolean isPe(byte[] h) {
        if (h.length < 0x40 || h[0] != 'M' || h[1] != 'Z') {
            return false;
        }
        int offset = ByteBuffer.wrap(h, 0x3c, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return offset >= 0x40 && offset <= h.length - 4 && h[offset] == 'P' && h[offset + 1] == 'E'
                && h[offset + 2] == 0 && h[offset + 3] == 0;
    }

    /**
     * Thin Mach-O (32/64 bit, either byte order), or a universal binary. A universal binary's magic is also a Java
     * class file's; its next word, the number of architectures, is small, where a class file has its version (45+).
     */
    private static boolean isMachO(byte[] h) {
        if (h.length < 8) {
            return false;
        }
        int magic = ByteBuffer.wrap(h, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (magic == 0xfeedface || magic == 0xfeedfacf || magic == 0xcefaedfe || magic == 0xcffaedfe) {
            return true;
        }
        if (magic == 0xcafebabe || magic == 0xcafebabf) {
            int architectures = ByteBuffer.wrap(h, 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
            return architectures > 0 && architectures < 20;
        }
        return false;
    }
}
