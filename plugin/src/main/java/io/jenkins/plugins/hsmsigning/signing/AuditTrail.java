package io.jenkins.plugins.hsmsigning.signing;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditLog;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The controller's signing audit log, {@code $JENKINS_HOME/hsm-signing/audit.jsonl}: one JSON line per use of a
 * signing key (and per refused request), appended by the engine so that a crash never leaves a broken line. One
 * {@link AuditLog} per file, so that all appends of this controller go through one lock.
 */
public final class AuditTrail {

    public static final String DIRECTORY = "hsm-signing";
    public static final String FILE = "audit.jsonl";

    private static AuditLog log;

    private AuditTrail() {
    }

    public static synchronized AuditLog log() {
        Path file = Jenkins.get().getRootDir().toPath().resolve(DIRECTORY).resolve(FILE);
        if (log == null || !log.file().equals(file)) {
            log = new AuditLog(file);
        }
        return log;
    }

    public static void append(List<AuditRecord> records) throws IOException {
        log().append(records);
    }

    /** Fails unless the log can be appended to: checked before a key is opened, so that no use goes unrecorded. */
    public static void checkWritable() throws IOException {
        Path file = log().file();
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.size();
        }
    }
}
