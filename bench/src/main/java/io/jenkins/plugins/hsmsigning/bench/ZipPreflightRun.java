package io.jenkins.plugins.hsmsigning.bench;

import io.jenkins.plugins.hsmsigning.engine.io.ZipPreflight;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * How long the engine's ZIP preflight takes over a ZIP64 archive of many empty entries (70,000 by default, more than
 * a plain ZIP holds): the figure that used to be a time limit in the engine's tests, which now only check that such an
 * archive passes. Prints the median of {@code --reps} runs after two warm-up runs, in milliseconds.
 */
final class ZipPreflightRun {

    private ZipPreflightRun() {
    }

    static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int entries = o.getInt("entries", 70_000);
        int reps = o.getInt("reps", 5);
        Path zip = Files.createTempFile("zip-preflight-", ".zip");
        try {
            try (OutputStream file = Files.newOutputStream(zip);
                    ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(file))) {
                for (int i = 0; i < entries; i++) {
                    out.putNextEntry(new ZipEntry("e/" + i));
                    out.closeEntry();
                }
            }
            for (int i = 0; i < 2; i++) {
                ZipPreflight.checkArchive(zip, "many.zip", false);
            }
            long[] millis = new long[reps];
            for (int i = 0; i < reps; i++) {
                long start = System.nanoTime();
                ZipPreflight.checkArchive(zip, "many.zip", false);
                millis[i] = (System.nanoTime() - start) / 1_000_000;
            }
            Arrays.sort(millis);
            System.out.printf("zip-preflight: %d entries (ZIP64), median %d ms, min %d ms, max %d ms over %d runs%n",
                    entries, millis[reps / 2], millis[0], millis[reps - 1], reps);
        } finally {
            Files.deleteIfExists(zip);
        }
    }
}
