package io.jenkins.plugins.hsmsigning.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.hsmsigning.engine.Verifier;
import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import io.jenkins.plugins.hsmsigning.engine.testing.TestPki;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The embedded verifiers (Authenticode through jsign for every kind, JAR through JarFile) on files signed by the test
 * token and then mutated by the fuzzer, or on arbitrary bytes under any name. {@link Verifier} must return entries,
 * never throw; FAILED entries are one sentence naming the file; the file is unchanged and nothing is written.
 */
class EmbeddedVerifierFuzzTest {

    private static final Verifier VERIFIER = new Verifier(VerificationOptions.trusting(
            List.of(TestPki.shared().caCertificate())));

    @FuzzTest
    void verify(FuzzedDataProvider data) throws Exception {
        List<Map.Entry<String, byte[]>> templates = new ArrayList<>(FuzzSupport.signedTemplates().entrySet());
        String name;
        byte[] bytes;
        if (data.consumeBoolean()) {
            Map.Entry<String, byte[]> template = templates.get(data.consumeInt(0, templates.size() - 1));
            name = template.getKey().substring("signed-".length());
            bytes = FuzzSupport.mutate(template.getValue(), data);
        } else {
            name = FuzzSupport.NAMES.get(data.consumeInt(0, FuzzSupport.NAMES.size() - 1));
            bytes = data.consumeRemainingAsBytes();
        }
        FuzzSupport.dump(name, bytes);
        Path dir = FuzzSupport.freshDirectory();
        try {
            Path file = Files.write(dir.resolve(name), bytes);
            List<ReportEntry> entries = VERIFIER.verify(file, name);
            if (entries.isEmpty()) {
                throw new IllegalStateException("no report entry");
            }
            for (ReportEntry entry : entries) {
                FuzzSupport.checkEntry(entry, name);
            }
            if (!Arrays.equals(MessageDigest.getInstance("SHA-256").digest(bytes),
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))) {
                throw new IllegalStateException("verification changed the artifact");
            }
            try (var files = Files.list(dir)) {
                if (files.count() != 1) {
                    throw new IllegalStateException("verification wrote a file");
                }
            }
        } finally {
            FuzzSupport.deleteTree(dir);
        }
    }
}
