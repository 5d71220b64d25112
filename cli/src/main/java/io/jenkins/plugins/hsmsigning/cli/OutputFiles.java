package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files hsmsign writes at the end of a run, checked at its start: a key is not used for output that is then lost. */
final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * A usage error unless {@code file}, given by {@code option}, can be created or replaced: it is no directory,
     * and its nearest existing ancestor is a writable directory (missing directories are created when writing).
     */
    static void checkWritable(Path file, String option) throws SigningException {
        if (Files.isDirectory(file)) {
            throw new SigningException(Kind.CONFIGURATION, "The file " + file + " given by " + option + " is a "
                    + "directory.");
        }
        Path ancestor = file.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor)) {
            throw new SigningException(Kind.CONFIGURATION, "The file " + file + " given by " + option + " cannot be "
                    + "created: " + (ancestor == null ? "no directory of its path exists" : ancestor
                    + " is not a directory") + ".");
        }
        if (!Files.isWritable(ancestor) || Files.exists(file) && !Files.isWritable(file)) {
            throw new SigningException(Kind.CONFIGURATION, "The file " + file + " given by " + option + " cannot be "
                    + "written: permission denied.");
        }
    }
}
