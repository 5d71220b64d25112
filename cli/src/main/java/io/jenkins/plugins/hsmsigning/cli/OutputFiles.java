package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files hsmsign writes at the end of a run, checked at its start: a key is not used for output that is then lost. */
final class OutputFiles {

    private OutputFiles() {
    }

    /** A usage error unless {@code file}, given by {@code option}, can be created or replaced. */
    static void checkWritable(Path file, String option) throws SigningException {
        if (Files.isDirectory(file)) {
            throw new SigningException(Kind.CONFIGURATION, "The file " + file + " given by " + option + " is a "
                    + "directory.");
        }
        Path parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new SigningException(Kind.CONFIGURATION, "The directory of " + file + " given by " + option
                    + " does not exist.");
        }
        if (!Files.isWritable(parent) || Files.exists(file) && !Files.isWritable(file)) {
            throw new SigningException(Kind.CONFIGURATION, "The file " + file + " given by " + option + " cannot be "
                    + "written: permission denied.");
        }
    }
}
