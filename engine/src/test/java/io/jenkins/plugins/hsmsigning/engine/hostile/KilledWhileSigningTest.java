package io.jenkins.plugins.hsmsigning.engine.hostile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.Secret;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import io.jenkins.plugins.hsmsigning.engine.keys.Pkcs12KeySource;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.LoopbackTsa;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The process is killed while it signs a large JAR in place: a child JVM ({@link SignInPlaceChild}) signs it with a
 * PKCS#12 key and a time-stamp authority that holds its answer ({@link LoopbackTsa.Mode#SLOW}), so the signing is
 * certainly under way, its temporary copy written, when the test kills it (SIGKILL); no step depends on timing. The artifact must be
 * byte for byte what it was; the only leftover allowed is the temporary copy, recognisable by its name
 * ({@code .hsmsign-*.tmp}), which the next run that touches the directory removes once it is older than
 * {@link AtomicFiles#STALE_AFTER}, and not before.
 */
public class KilledWhileSigningTest {

    private static final String PASSWORD = "kill-test";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theArtifactSurvivesAKillAndTheLeftoverIsRemovedLater() throws Exception {
        Path dir = tmp.newFolder("artifacts").toPath();
        Path jar = largeJar(dir.resolve("large.jar"), 48);
        Path p12 = Files.write(tmp.getRoot().toPath().resolve("key.p12"), keystore());
        String before = Artifacts.sha256(jar);
        List<String> filesBefore = list(dir);

        Path log = tmp.getRoot().toPath().resolve("child.log");
        Path leftover;
        try (LoopbackTsa tsa = LoopbackTsa.start()) {
            tsa.mode(LoopbackTsa.Mode.SLOW);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SignInPlaceChild.class.getName(), jar.toString(),
                    p12.toString(), tsa.url())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (OutputStream stdin = child.getOutputStream()) {
                stdin.write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
            }
            leftover = awaitTemporaryFile(dir, child, log);
            while (tsa.requestCount() == 0 && child.isAlive()) {
                Thread.sleep(10);
            }
            assertTrue("the child asked the time-stamp authority, so it is in the middle of signing",
                    tsa.requestCount() > 0);
            assertTrue("still signing when killed", child.isAlive());
            child.destroyForcibly();
            child.waitFor();
            assertNotEquals("killed, not finished", 0, child.exitValue());
        }

        assertEquals("the artifact is byte for byte what it was", before, Artifacts.sha256(jar));
        List<String> after = list(dir);
        for (String name : after) {
            if (!filesBefore.contains(name)) {
                assertTrue("only a recognisable temporary file may be left: " + name,
                        name.startsWith(AtomicFiles.TEMP_PREFIX) && name.endsWith(AtomicFiles.TEMP_SUFFIX));
            }
        }
        assertTrue("the artifact is still there", after.contains("large.jar"));
        assertTrue("a kill leaves the temporary copy (no cleanup runs), recognisable by its name",
                after.contains(leftover.getFileName().toString()));

        // a later run that signs something in this directory removes the leftover once it is stale, not before
        Path fresh = Files.write(dir.resolve(AtomicFiles.TEMP_PREFIX + "another-run.tmp"), new byte[] {1});
        Path other = Artifacts.random(dir, "other.bin", 1000);
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        try (Secret secret = Secret.of(PASSWORD.toCharArray());
                SigningKey key = Pkcs12KeySource.of(Files.readAllBytes(p12), "key.p12").open(secret)) {
            List<ReportEntry> entries = new ArtifactSigner(key, SigningOptions.defaults()).sign(other, "other.bin");
            assertEquals(entries.toString(), Status.SIGNED, entries.get(0).status());
        }
        assertFalse("the stale leftover is removed", Files.exists(leftover));
        assertTrue("a recent temporary file (another run's, maybe) is kept", Files.exists(fresh));
        assertEquals(before, Artifacts.sha256(jar));
    }

    /** Waits until the child has created its temporary copy beside the artifact, or has ended without one. */
    private static Path awaitTemporaryFile(Path dir, Process child, Path log) throws Exception {
        while (true) {
            try (Stream<Path> files = Files.list(dir)) {
                Path temp = files.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX))
                        .findFirst().orElse(null);
                if (temp != null) {
                    return temp;
                }
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child ended before signing began:\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }

    /** A JAR of {@code megabytes} MiB of random, stored (incompressible) entries. */
    private static Path largeJar(Path file, int megabytes) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(chunk);
                ZipEntry entry = new ZipEntry("data/part-" + i + ".bin");
                CRC32 crc = new CRC32();
                crc.update(chunk);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(chunk.length);
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(chunk);
                out.closeEntry();
            }
        }
        return file;
    }

    private static byte[] keystore() {
        KeyPair keys = TestPki.generateRsa(2048);
        X509Certificate certificate = TestPki.shared().issueCodeSigning(keys.getPublic(), "Kill Test");
        return TestPki.shared().pkcs12(keys, new X509Certificate[] {certificate, TestPki.shared().caCertificate()},
                "kill", PASSWORD.toCharArray());
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
