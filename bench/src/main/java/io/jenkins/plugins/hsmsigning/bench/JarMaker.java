package io.jenkins.plugins.hsmsigning.bench;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Small JAR files (about 17 KB each: a manifest and twelve entries, some compressible text and some random bytes), made
 * with java.util.jar, all different, named {@code lib-0000.jar} and on.
 */
final class JarMaker {

    private JarMaker() {
    }

    static void main(String[] args) throws Exception {
        Options o = new Options(args);
        Path dir = Path.of(o.get("dir"));
        int count = o.getInt("count", 200);
        Files.createDirectories(dir);
        Random random = new Random(8);
        for (int i = 0; i < count; i++) {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Created-By", "hsm-signing bench");
            manifest.getMainAttributes().putValue("Implementation-Version", "1." + i);
            try (OutputStream file = Files.newOutputStream(dir.resolve(String.format("lib-%04d.jar", i)));
                    JarOutputStream jar = new JarOutputStream(file, manifest)) {
                for (int e = 0; e < 12; e++) {
                    String name = "com/example/bench" + i + "/Part" + e + (e % 3 == 0 ? ".bin" : ".txt");
                    jar.putNextEntry(new JarEntry(name));
                    if (e % 3 == 0) {
                        byte[] bytes = new byte[3000];
                        random.nextBytes(bytes);
                        jar.write(bytes);
                    } else {
                        StringBuilder text = new StringBuilder();
                        for (int line = 0; line < 60; line++) {
                            text.append("jar ").append(i).append(" entry ").append(e).append(" line ").append(line)
                                    .append(" value ").append(random.nextInt()).append('\n');
                        }
                        jar.write(text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                    jar.closeEntry();
                }
            }
        }
    }
}
