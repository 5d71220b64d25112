package io.jenkins.plugins.hsmsigning.engine.hostile;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import io.jenkins.plugins.hsmsigning.engine.keys.SigningKey;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.TestKeys;
import java.io.BufferedOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The other side of the hostile corpus: archives real tools make pass the ZIP pre-flight, so that hardening refuses
 * only what it should. Every JAR on the test class path (Bouncy Castle's signed ones included), ZIP64, empty
 * archives, comments, unusual but harmless names, and an entry right at the compression-ratio limit.
 */
public class LegitimateArchivesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyJarOnTheClassPathPasses() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !jar.getFileName().toString()
                    .startsWith("surefire")) {
                ZipPreflight.checkArchive(jar, jar.getFileName().toString(), false);
                checked.add(jar.getFileName().toString());
            }
        }
        assertTrue(checked.toString(), checked.size() >= 10);
    }

    @Test
    public void aJarSignedByItsVendorCanBeSignedAgain() throws Exception {
        Path vendor = Path.of(PGPSignature.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = Files.copy(vendor, tmp.getRoot().toPath().resolve("bcpg.jar"), StandardCopyOption.REPLACE_EXISTING);
        try (SigningKey key = TestKeys.open(SoftHsmToken.ECP256)) {
            List<ReportEntry> entries = new ArtifactSigner(key, SigningOptions.defaults().formats(Set.of(Format.JAR)))
                    .sign(copy, "bcpg.jar");
            assertEquals(entries.toString(), Status.SIGNED, entries.get(0).status());
        }
    }

    @Test
    public void zip64EmptyCommentedAndOddlyNamedArchivesPass() throws Exception {
        Path zip64 = tmp.getRoot().toPath().resolve("many.zip");
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip64)))) {
            for (int i = 0; i < 70_000; i++) {
                out.putNextEntry(new ZipEntry("e/" + i));
                out.closeEntry();
            }
        }
        // passes; how long it takes is a figure of the benchmark (Bench zip-preflight), not a limit of this test
        ZipPreflight.checkArchive(zip64, "many.zip", false);

        Path empty = tmp.getRoot().toPath().resolve("empty.zip");
        new ZipOutputStream(Files.newOutputStream(empty)).close();
        ZipPreflight.checkArchive(empty, "empty.zip", true);

        Path odd = tmp.getRoot().toPath().resolve("odd.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(odd))) {
            out.setComment("a comment at the end");
            for (String name : List.of("a//b", "./x", "..foo", "foo..bar", "dir/", "dir/..x/y", "ünïcode.txt")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        ZipPreflight.checkArchive(odd, "odd.zip", true);
    }

    @Test
    public void theCompressionRatioLimitAppliesAboveOneMebibyte() throws Exception {
        RawZip small = RawZip.jar();
        small.zeros("zeros.bin", ZipPreflight.RATIO_GRACE);
        ZipPreflight.checkArchive(small.write(tmp.getRoot().toPath().resolve("small.jar")), "small.jar", false);

        RawZip large = RawZip.jar();
        large.zeros("zeros.bin", 2 * ZipPreflight.RATIO_GRACE);
        Path file = large.write(tmp.getRoot().toPath().resolve("large.jar"));
        SigningException e = assertThrows(SigningException.class,
                () -> ZipPreflight.checkArchive(file, "large.jar", false));
        assertThat(e.getMessage(), containsString("looks like a compression bomb"));
        ZipPreflight.checkLayout(file, "large.jar", false);
    }
}
