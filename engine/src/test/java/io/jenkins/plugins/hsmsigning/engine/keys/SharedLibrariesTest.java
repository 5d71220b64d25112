package io.jenkins.plugins.hsmsigning.engine.keys;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The PKCS#11 library setting accepts a shared library, not any file the controller can read. */
public class SharedLibrariesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aTextFileIsRefusedNamingTheSetting() throws Exception {
        Path secrets = tmp.newFile("credentials.xml").toPath();
        Files.writeString(secrets, "<credentials><secret>hunter2</secret></credentials>");
        SigningException e = assertThrows(SigningException.class, () -> SharedLibraries.check(secrets));
        assertEquals(SigningException.Kind.CONFIGURATION, e.kind());
        assertThat(e.getMessage(), containsString("is not a shared library (no ELF, PE or Mach-O header)"));
        assertThat(e.getMessage(), containsString("PKCS#11 library"));
        assertFalse("the file's content is not repeated", e.getMessage().contains("hunter2"));

        Path missing = tmp.getRoot().toPath().resolve("missing.so");
        assertThat(assertThrows(SigningException.class, () -> SharedLibraries.check(missing)).getMessage(),
                containsString("does not exist"));
        assertThrows(SigningException.class, () -> SharedLibraries.check(tmp.getRoot().toPath()));
    }

    @Test
    public void realElfBinariesPass() throws Exception {
        for (String candidate : new String[] {"/bin/true", "/usr/bin/true"}) {
            Path file = Path.of(candidate);
            if (Files.isRegularFile(file)) {
                SharedLibraries.check(file);
            }
        }
    }

    @Test
    public void peAndMachOHeadersPassAndAJavaClassDoesNot() throws Exception {
        byte[] pe = new byte[0x100];
        pe[0] = 'M';
        pe[1] = 'Z';
        ByteBuffer.wrap(pe, 0x3c, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x80);
        pe[0x80] = 'P';
        pe[0x81] = 'E';
        assertTrue(SharedLibraries.isSharedLibrary(pe));
        byte[] dosOnly = pe.clone();
        dosOnly[0x80] = 'X';
        assertFalse("MZ without a PE header", SharedLibraries.isSharedLibrary(dosOnly));

        assertTrue(SharedLibraries.isSharedLibrary(header(0xfeedfacf, 7)));
        assertTrue(SharedLibraries.isSharedLibrary(header(0xcffaedfe, 7)));
        assertTrue("universal binary with two architectures", SharedLibraries.isSharedLibrary(header(0xcafebabe, 2)));
        assertFalse("a Java 17 class file", SharedLibraries.isSharedLibrary(header(0xcafebabe, 61)));
        assertFalse(SharedLibraries.isSharedLibrary("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(SharedLibraries.isSharedLibrary(new byte[0]));
    }

    @Test
    public void aJavaClassFileFromTheClassPathIsRefused() throws Exception {
        Path classFile = tmp.newFile("Object.class").toPath();
        try (InputStream in = Object.class.getResourceAsStream("Object.class")) {
            if (in != null) {
                Files.write(classFile, in.readAllBytes());
                assertThrows(SigningException.class, () -> SharedLibraries.check(classFile));
            }
        }
    }

    private static byte[] header(int magic, int second) {
        return ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN).putInt(magic).putInt(second).array();
    }
}
