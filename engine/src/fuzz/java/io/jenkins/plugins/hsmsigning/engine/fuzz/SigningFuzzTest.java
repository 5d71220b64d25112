package io.jenkins.plugins.hsmsigning.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.hsmsigning.engine.ArtifactSigner;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.SigningOptions;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.report.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ArtifactSigner#sign} in place, with "auto" or a format asked for explicitly, on samples of every embedded
 * kind (unsigned or signed) mutated by the fuzzer. Signing must return entries, never throw; a FAILED entry is one
 * sentence naming the file and leaves the file unchanged; no temporary file is left; detached signatures go to the
 * output directory only.
 */
class SigningFuzzTest {

    private static final List<Set<Format>> CHOICES = List.of(Set.of(), Set.of(Format.AUTHENTICODE),
            Set.of(Format.JAR));

    @FuzzTest
    void sign(FuzzedDataProvider data) throws Exception {
        List<Map.Entry<String, byte[]>> templates = new ArrayList<>(FuzzSupport.unsignedTemplates().entrySet());
        templates.addAll(FuzzSupport.signedTemplates().entrySet());
        Map.Entry<String, byte[]> template = templates.get(data.consumeInt(0, templates.size() - 1));
        String name = template.getKey().replace("signed-", "");
        Set<Format> formats = CHOICES.get(data.consumeInt(0, CHOICES.size() - 1));
        byte[] bytes = FuzzSupport.mutate(template.getValue(), data);
        FuzzSupport.dump(name, bytes);
        Path dir = FuzzSupport.freshDirectory();
        try {
            Path art = Files.createDirectories(dir.resolve("art"));
            Path out = Files.createDirectories(dir.resolve("out"));
            Path file = Files.write(art.resolve(name), bytes);
            List<ReportEntry> entries = new ArtifactSigner(FuzzSupport.key(), SigningOptions.defaults()
                    .formats(formats).outputDirectory(out)).sign(file, name);
            if (entries.isEmpty()) {
                throw new IllegalStateException("no report entry");
            }
            boolean failed = false;
            for (ReportEntry entry : entries) {
                FuzzSupport.checkEntry(entry, name);
                failed |= entry.status() == Status.FAILED;
            }
            byte[] after = Files.readAllBytes(file);
            if (failed && !Arrays.equals(MessageDigest.getInstance("SHA-256").digest(bytes),
                    MessageDigest.getInstance("SHA-256").digest(after))) {
                throw new IllegalStateException("a failed signing changed the artifact: " + entries);
            }
            FuzzSupport.checkNoTemporaryFiles(dir);
            try (var files = Files.list(art)) {
                if (files.count() != 1) {
                    throw new IllegalStateException("signing wrote beside the artifact: " + entries);
                }
            }
        } finally {
            FuzzSupport.deleteTree(dir);
        }
    }
}
