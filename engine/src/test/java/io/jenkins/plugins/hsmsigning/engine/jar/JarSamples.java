package io.jenkins.plugins.hsmsigning.engine.jar;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** JAR, WAR and EAR files made with the JDK, a truststore of the test CA, and {@code jarsigner -verify -strict}. */
public final class JarSamples {

    static final String STOREPASS = "changeit";

    private JarSamples() {
    }

    /** A small archive of {@code extension} (jar, war, ear) with the entries that kind usually has. */
    public static Path archive(Path dir, String extension) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("com/example/", null);
        entries.put("com/example/Hello.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0});
        entries.put("com/example/messages.properties", "greeting=hello\n".getBytes(StandardCharsets.UTF_8));
        if (extension.equals("war")) {
            entries.put("WEB-INF/web.xml", "<web-app/>\n".getBytes(StandardCharsets.UTF_8));
        } else if (extension.equals("ear")) {
            entries.put("META-INF/application.xml", "<application/>\n".getBytes(StandardCharsets.UTF_8));
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Created-By", "HSM Signing tests");
        Path file = dir.resolve("hello." + extension);
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() != null) {
                    jar.write(e.getValue());
                }
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Rewrites {@code jar} with {@code entry}'s content changed by one byte, or with {@code entry} added. */
    static void rewrite(Path jar, String entry, boolean add) throws IOException {
        Path copy = jar.resolveSibling(jar.getFileName() + ".rewritten");
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(
                Files.newOutputStream(copy))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    byte[] bytes = data.readAllBytes();
                    if (!add && e.getName().equals(entry)) {
                        bytes[0] ^= 1;
                    }
                    out.write(bytes);
                }
                out.closeEntry();
            }
            if (add) {
                out.putNextEntry(new ZipEntry(entry));
                out.write("added later\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code jarsigner -verify -strict -verbose -certs} against a PKCS#12 truststore holding only the test CA. */
    public static ToolResult jarsigner(Path jar) throws Exception {
        ExternalTool.require("jarsigner");
        Path store = jar.resolveSibling("truststore.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test-ca", TestPki.shared().caCertificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            trust.store(out, STOREPASS.toCharArray());
        }
        return ExternalTool.run(List.of("jarsigner", "-verify", "-strict", "-verbose", "-certs", "-keystore",
                store.toString(), "-storetype", "PKCS12", "-storepass", STOREPASS, jar.toString()));
    }
}
