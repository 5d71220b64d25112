package io.jenkins.plugins.hsmsigning.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.authenticode.AuthenticodeKind;
import io.jenkins.plugins.hsmsigning.engine.formats.EmbeddedFormat;
import io.jenkins.plugins.hsmsigning.engine.formats.Format;
import io.jenkins.plugins.hsmsigning.engine.formats.Formats;
import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Format detection and the structure checks on arbitrary bytes, or on a sample of any embedded kind mutated by the
 * fuzzer: {@link Formats#recognize}, {@link AuthenticodeKind#detect} and {@link AuthenticodeKind#damage},
 * {@link Formats#resolve} ("auto"), {@link Formats#refuseDamaged}, every embedded format's
 * {@link EmbeddedFormat#recognizes} and {@link EmbeddedFormat#checkStructure}, and {@link ZipPreflight}. Each must
 * return or throw a {@link SigningException} whose message is one sentence naming the file; anything else (another
 * exception, a hang, running out of memory) is a finding.
 */
class FormatDetectionFuzzTest {

    @FuzzTest
    void detect(FuzzedDataProvider data) throws Exception {
        String name = FuzzSupport.NAMES.get(data.consumeInt(0, FuzzSupport.NAMES.size() - 1));
        byte[] bytes;
        if (data.consumeBoolean()) {
            List<Map.Entry<String, byte[]>> templates = new ArrayList<>(FuzzSupport.unsignedTemplates().entrySet());
            templates.addAll(FuzzSupport.signedTemplates().entrySet());
            Map.Entry<String, byte[]> template = templates.get(data.consumeInt(0, templates.size() - 1));
            bytes = FuzzSupport.mutate(template.getValue(), data);
        } else {
            bytes = data.consumeRemainingAsBytes();
        }
        FuzzSupport.dump(name, bytes);
        Path dir = FuzzSupport.freshDirectory();
        try {
            Path file = Files.write(dir.resolve(name), bytes);
            Formats.recognize(file);
            AuthenticodeKind.detect(file, name);
            String damage = AuthenticodeKind.damage(file, name);
            if (damage != null) {
                FuzzSupport.checkSentence(damage, name);
            }
            expectSentence(() -> Formats.resolve(file, name, Set.of()), name);
            expectSentence(() -> Formats.refuseDamaged(file, name), name);
            for (Format format : List.of(Format.AUTHENTICODE, Format.JAR)) {
                EmbeddedFormat embedded = Formats.embedded(format);
                if (embedded.recognizes(file)) {
                    expectSentence(() -> embedded.checkStructure(file, name), name);
                }
            }
            expectSentence(() -> ZipPreflight.checkArchive(file, name, true), name);
        } finally {
            FuzzSupport.deleteTree(dir);
        }
    }

    interface Check {
        void run() throws Exception;
    }

    private static void expectSentence(Check check, String name) throws Exception {
        try {
            check.run();
        } catch (SigningException e) {
            FuzzSupport.checkSentence(e.getMessage(), name);
        }
    }
}
