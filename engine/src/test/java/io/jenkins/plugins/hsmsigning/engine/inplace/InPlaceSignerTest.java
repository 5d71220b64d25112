package io.jenkins.plugins.hsmsigning.engine.inplace;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.deep.DeepSigner;
import io.jenkins.plugins.hsmsigning.engine.deep.InnerSelection;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.jar.JarSamples;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.Artifacts;
import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Signing stored artifacts without a full copy: the work directory never holds more than the artifacts being signed
 * at that moment, detached signatures come from a read of the stored file, each artifact is published only after
 * its entries were audited, and checks see the hash of the very bytes signed.
 */
public class InPlaceSignerTest {

    private static final int ARTIFACTS = 20;
    private static final int THREADS = 2;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path stored;
    private Path work;
    private SigningKey key;

    @Before
    public void openKey() throws Exception {
        stored = tmp.newFolder("archive").toPath();
        work = tmp.newFolder("work").toPath();
        key = TestKeys.open(SoftHsmToken.ECP256);
    }

    @After
    public void closeKey() {
        if (key != null) {
            key.close();
        }
    }

    @Test
    public void detachedSignaturesOfTwentyArtifactsNeedNoCopyOfAny() throws Exception {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < ARTIFACTS; i++) {
            String path = "dist/part-" + i + ".bin";
            Files.createDirectories(stored.resolve("dist"));
            Files.move(Artifacts.random(tmp.getRoot().toPath(), "r" + i, 200_000 + i), stored.resolve(path));
            paths.add(path);
        }
        Store store = new Store();
        ArtifactSigner signer = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.CMS)));

        List<ReportEntry> entries = new InPlaceSigner(store, work, ReadCheck.NONE)
                .signAll(paths, THREADS, store.progress(), signer);

        assertEquals(ARTIFACTS, entries.size());
        entries.forEach(e -> assertEquals(e.reason(), Status.SIGNED, e.status()));
        assertTrue("at most the artifacts being signed at once, got " + store.peakDirectories,
                store.peakDirectories <= THREADS);
        assertTrue("the signature files are there when they are published", store.peakBytes > 0);
        assertTrue("only signature files, never a copy of an artifact: " + store.peakBytes,
                store.peakBytes < 200_000);
        assertEquals(ARTIFACTS, store.published.size());
        for (String path : paths) {
            assertOpensslAccepts(stored.resolve(path));
        }
        assertWorkIsEmpty();
    }

    @Test
    public void embeddedSignaturesOfTwentyArtifactsNeedSpaceForTheConcurrentOnesOnly() throws Exception {
        List<String> paths = new ArrayList<>();
        long largest = 0;
        for (int i = 0; i < ARTIFACTS; i++) {
            String path = "lib/app-" + i + ".jar";
            Path made = JarSamples.archive(tmp.newFolder("jar" + i).toPath(), "jar");
            Files.createDirectories(stored.resolve("lib"));
            Files.move(made, stored.resolve(path));
            largest = Math.max(largest, Files.size(stored.resolve(path)));
            paths.add(path);
        }
        Store store = new Store();
        ArtifactSigner signer = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.JAR)));

        List<ReportEntry> entries = new InPlaceSigner(store, work, ReadCheck.NONE)
                .signAll(paths, THREADS, store.progress(), signer);

        assertEquals(ARTIFACTS, entries.size());
        entries.forEach(e -> assertEquals(e.reason(), Status.SIGNED, e.status()));
        assertTrue("at most the artifacts being signed at once, got " + store.peakDirectories,
                store.peakDirectories <= THREADS);
        assertTrue("the signed copy is there when it is published", store.peakBytes >= largest / 2);
        assertTrue("bounded by the concurrent artifacts (signed copies are a few KiB larger), got "
                + store.peakBytes, store.peakBytes <= THREADS * (largest + 16_384));
        for (String path : paths) {
            ToolResult result = JarSamples.jarsigner(stored.resolve(path));
            assertEquals(result.output(), 0, result.exitCode());
        }
        assertWorkIsEmpty();
    }

    @Test
    public void deepSigningWorksOnACopyAndPublishesTheRepackedContainer() throws Exception {
        Path made = JarSamples.archive(tmp.newFolder("jar").toPath(), "jar");
        Files.move(made, stored.resolve("app.jar"));
        String before = Artifacts.sha256(stored.resolve("app.jar"));
        Store store = new Store();
        SigningOptions options = SigningOptions.defaults().formats(Set.of(Format.JAR));
        DeepSigner deep = new DeepSigner(key, options, InnerSelection.all());

        List<ReportEntry> entries = new InPlaceSigner(store, work, ReadCheck.NONE)
                .signAll(List.of("app.jar"), THREADS, store.progress(), deep::sign);

        assertTrue(entries.stream().allMatch(e -> e.status() == Status.SIGNED));
        assertNotEquals(before, Artifacts.sha256(stored.resolve("app.jar")));
        assertEquals(List.of("app.jar"), store.published);
        assertWorkIsEmpty();
    }

    @Test
    public void eachArtifactIsPublishedAfterItsEntriesWereAuditedAndOneAtATime() throws Exception {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Files.write(stored.resolve("f" + i + ".txt"), ("text " + i).getBytes());
            paths.add("f" + i + ".txt");
        }
        Store store = new Store();
        ArtifactSigner signer = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.CMS)));

        new InPlaceSigner(store, work, ReadCheck.NONE).signAll(paths, 3, store.progress(), signer);

        for (String path : paths) {
            int audited = store.events.indexOf("audited " + path);
            int published = store.events.indexOf("published " + path);
            assertTrue(store.events.toString(), audited >= 0 && published > audited);
        }
        assertEquals(1, store.peakPublishing);
    }

    @Test
    public void theCheckSeesTheHashOfTheBytesSignedAndARefusalPublishesNothing() throws Exception {
        Files.write(stored.resolve("approved.txt"), "approved".getBytes());
        Files.write(stored.resolve("swapped.txt"), "approved".getBytes());
        String approved = Artifacts.sha256(stored.resolve("approved.txt"));
        Store store = new Store();
        store.swapOnOpen = Map.of("swapped.txt", "swapped after approval".getBytes());
        ReadCheck check = (path, sha256) -> {
            if (!sha256.equals(approved)) {
                throw new SigningException(SigningException.Kind.INPUT, path + " changed after approval; it was"
                        + " not signed.");
            }
        };
        ArtifactSigner signer = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.CMS)));

        List<ReportEntry> detached = new InPlaceSigner(store, work, check)
                .signAll(List.of("approved.txt", "swapped.txt"), THREADS, store.progress(), signer);
        assertEquals(Status.SIGNED, detached.get(0).status());
        assertEquals(Status.FAILED, detached.get(1).status());
        assertThat(detached.get(1).reason(), containsString("swapped.txt changed after approval"));
        assertEquals(List.of("approved.txt.p7s"), store.publishedFiles);

        Files.write(stored.resolve("swapped.txt"), "approved".getBytes());
        ArtifactSigner embedded = new ArtifactSigner(key, SigningOptions.defaults());
        List<ReportEntry> copied = new InPlaceSigner(store, tmp.newFolder("work2").toPath(), check)
                .signAll(List.of("swapped.txt"), THREADS, store.progress(), embedded);
        assertEquals(Failure.INPUT_ERROR, copied.get(0).failure());
        assertThat(copied.get(0).reason(), containsString("swapped.txt changed after approval"));
        assertEquals(List.of("approved.txt.p7s"), store.publishedFiles);
    }

    @Test
    public void aStoreThatRefusesAnArtifactFailsItByName() throws Exception {
        Files.write(stored.resolve("ok.txt"), "ok".getBytes());
        Store store = new Store();
        store.refused = "link.txt";
        ArtifactSigner signer = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.CMS)));

        List<ReportEntry> entries = new InPlaceSigner(store, work, ReadCheck.NONE)
                .signAll(List.of("ok.txt", "link.txt"), THREADS, store.progress(), signer);

        assertEquals(Status.SIGNED, entries.get(0).status());
        assertEquals(Status.FAILED, entries.get(1).status());
        assertEquals("link.txt", entries.get(1).path());
        assertThat(entries.get(1).reason(), containsString("link.txt is a symbolic link"));
        assertEquals(List.of("ok.txt"), store.published);
        assertFalse(Files.exists(stored.resolve("link.txt.p7s")));
    }

    private void assertWorkIsEmpty() throws IOException {
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList());
        }
    }

    private void assertOpensslAccepts(Path artifact) throws Exception {
        ExternalTool.require("openssl");
        Path ca = TestPki.shared().writeCaPem(tmp.getRoot().toPath().resolve("ca.pem"));
        ToolResult result = ExternalTool.run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-content", artifact.toString(), "-in", artifact + ".p7s", "-CAfile", ca.toString(), "-purpose",
                "any", "-out", "/dev/null"));
        assertEquals(result.output(), 0, result.exitCode());
    }

    /**
     * A store over a directory, as the Jenkins plugin's is over a build's archive: reads never follow links, publishing
     * copies the results in. It measures the work directory whenever an artifact is opened and published, and
     * records the order of audits and publications.
     */
    private final class Store implements ArtifactStore {

        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> published = Collections.synchronizedList(new ArrayList<>());
        final List<String> publishedFiles = Collections.synchronizedList(new ArrayList<>());
        Map<String, byte[]> swapOnOpen = Map.of();
        String refused;
        volatile int peakDirectories;
        volatile long peakBytes;
        volatile int peakPublishing;
        private final AtomicInteger publishing = new AtomicInteger();

        Consumer<List<ReportEntry>> progress() {
            return entries -> entries.forEach(e -> events.add("audited " + e.path()));
        }

        @Override
        public InputStream open(String path) throws IOException, SigningException {
            measure();
            if (path.equals(refused)) {
                throw new SigningException(SigningException.Kind.INPUT, path + " is a symbolic link; it was not"
                        + " signed.");
            }
            InputStream in = Files.newInputStream(stored.resolve(path), LinkOption.NOFOLLOW_LINKS);
            byte[] swapped = swapOnOpen.get(path);
            if (swapped != null) {
                Files.write(stored.resolve(path), swapped);
            }
            return swapped != null ? new java.io.ByteArrayInputStream(swapped) : in;
        }

        @Override
        public void publish(String artifact, Path directory, Map<String, String> files) throws IOException {
            int now = publishing.incrementAndGet();
            peakPublishing = Math.max(peakPublishing, now);
            try {
                measure();
                for (Map.Entry<String, String> file : files.entrySet()) {
                    Files.copy(directory.resolve(file.getValue()), stored.resolve(file.getKey()),
                            StandardCopyOption.REPLACE_EXISTING);
                    publishedFiles.add(file.getKey());
                }
                published.add(artifact);
                events.add("published " + artifact);
            } finally {
                publishing.decrementAndGet();
            }
        }

        private synchronized void measure() {
            try (Stream<Path> dirs = Files.list(work); Stream<Path> files = Files.walk(work)) {
                peakDirectories = Math.max(peakDirectories, (int) dirs.count());
                long bytes = files.filter(Files::isRegularFile).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        return 0; // deleted while measured
                    }
                }).sum();
                peakBytes = Math.max(peakBytes, bytes);
            } catch (IOException | UncheckedIOException e) {
                // a directory deleted while measured: the next measure sees the rest
            }
        }
    }
}
