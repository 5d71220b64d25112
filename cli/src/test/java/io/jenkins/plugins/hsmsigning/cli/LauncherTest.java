package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.CoreMatchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * bin/hsmsign of the distribution, run by sh in a layout like the unpacked archive. Tests run before packaging, so
 * lib/hsmsign.jar here is a stand-in whose manifest points at the test class path instead of holding the classes.
 */
public class LauncherTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path home;

    @Before
    public void unpack() throws Exception {
        ExternalTool.require("sh");
        home = temp.newFolder("hsmsign-1.0").toPath();
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.copy(Path.of("src/dist/bin/hsmsign"), bin.resolve("hsmsign"), StandardCopyOption.COPY_ATTRIBUTES);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, HsmSign.class.getName());
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(asJar(Path.of(entry)).toUri().toString());
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path lib = Files.createDirectories(home.resolve("lib"));
        try (OutputStream out = Files.newOutputStream(lib.resolve("hsmsign.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }

    @Test
    public void runsTheJarWithJavaHomeAndPassesArgumentsAndExitCodesThrough() {
        ToolResult version = launch(home.resolve("bin/hsmsign"), "sign", "-V");
        ToolResult usage = launch(home.resolve("bin/hsmsign"), "verify", "file with spaces.txt");

        assertEquals(version.output(), 0, version.exitCode());
        assertThat(version.stdout(), startsWith("hsmsign "));
        assertEquals(usage.output(), 2, usage.exitCode());
        assertThat(usage.stderr(), containsString("Give what to trust"));
    }

    @Test
    public void findsItsHomeThroughASymbolicLink() throws Exception {
        Path link = Files.createSymbolicLink(temp.newFolder("usr-local-bin").toPath().resolve("hsmsign"),
                home.resolve("bin/hsmsign"));

        ToolResult version = launch(link, "-V");

        assertEquals(version.output(), 0, version.exitCode());
        assertThat(version.stdout(), startsWith("hsmsign "));
    }

    @Test
    public void saysWhatIsMissingWithoutJava() {
        ToolResult noJava = ExternalTool.run(List.of("sh", home.resolve("bin/hsmsign").toString(), "-V"),
                Map.of("JAVA_HOME", temp.getRoot().toString()), home, Duration.ofMinutes(1));

        assertEquals(noJava.output(), 2, noJava.exitCode());
        assertThat(noJava.stderr(), containsString("hsmsign needs Java 17 or newer"));
    }

    @Test
    public void theFirstRunMakesAClassArchiveInTheBackgroundThatLaterRunsUse() throws Exception {
        Path cache = temp.newFolder("cache").toPath();

        ToolResult first = launch(Map.of("XDG_CACHE_HOME", cache.toString()), "-V");

        assertEquals(first.output(), 0, first.exitCode());
        assertThat(first.stdout(), startsWith("hsmsign "));
        assertEquals(first.stdout(), 1, first.stdout().lines().count());
        assertEquals("", first.stderr());
        Path archive = awaitArchive(cache.resolve("hsmsign"));
        assertTrue(Files.getPosixFilePermissions(cache.resolve("hsmsign")).equals(
                PosixFilePermissions.fromString("rwx------")));
        Path classLog = temp.getRoot().toPath().resolve("classes.log");

        ToolResult later = launch(Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_OPTS",
                "-Xlog:class+load=info:file=" + classLog), "verify", "file with spaces.txt");

        assertEquals(later.output(), 2, later.exitCode());
        assertThat(later.stderr(), containsString("Give what to trust"));
        assertThat(later.stdout() + later.stderr(), not(containsString("cds")));
        assertThat(Files.readString(classLog), containsString("source: shared objects file (top)"));
        assertTrue(Files.exists(archive));
    }

    @Test
    public void noArchiveFromADirectoryOthersCanWriteNorWhenTurnedOff() throws Exception {
        Path cache = temp.newFolder("cache").toPath();
        Path shared = Files.createDirectories(cache.resolve("hsmsign"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path planted = Files.write(shared.resolve("hsmsign-planted.jsa"), new byte[] {1, 2, 3});

        ToolResult run = launch(Map.of("XDG_CACHE_HOME", cache.toString()), "-V");

        assertEquals(run.output(), 0, run.exitCode());
        try (Stream<Path> files = Files.list(shared)) {
            assertEquals(List.of(planted), files.collect(Collectors.toList()));
        }

        Path off = temp.newFolder("off").toPath();
        ToolResult turnedOff = launch(Map.of("XDG_CACHE_HOME", off.toString(), "HSMSIGN_CDS", "off"), "-V");

        assertEquals(turnedOff.output(), 0, turnedOff.exitCode());
        assertFalse(Files.exists(off.resolve("hsmsign")));
    }

    /**
     * HSMSIGN_DAEMON=on: the first run of a served command runs itself and leaves a daemon, which answers later runs
     * with the same output and exit code, in a directory of the user's only, and ends once idle.
     */
    @Test
    public void withTheDaemonOnLaterRunsAreAnsweredByADaemonThatEndsWhenIdle() throws Exception {
        Path cache = temp.newFolder("cache").toPath();
        Path sockets = cache.resolve("hsmsign/daemon");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "HSMSIGN_CDS", "off",
                "HSMSIGN_DAEMON", "on", "HSMSIGN_DAEMON_IDLE", "3");

        ToolResult first = launch(env, "verify", "file with spaces.txt");
        Path socket = sockets.resolve(awaitNames(sockets, n -> n.size() == 1 && n.get(0).endsWith(".sock")).get(0));
        ProcessHandle daemon = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(socket.toString())).findFirst().orElseThrow();
        ToolResult later = launch(env, "verify", "file with spaces.txt");
        ToolResult notServed = launch(env, "-V");

        assertEquals(first.output(), 2, first.exitCode());
        assertThat(first.stderr(), containsString("Give what to trust"));
        assertEquals(later.output(), 2, later.exitCode());
        assertEquals(first.stderr(), later.stderr());
        assertEquals(notServed.output(), 0, notServed.exitCode());
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(sockets));
        daemon.onExit().join(); // idle after 3 seconds
        assertFalse("the daemon removed its socket", Files.exists(socket));
    }

    /** The short-run compiler thresholds of issue 21 reach the JVM, and JAVA_OPTS still has the last word. */
    @Test
    public void compilesOnlyReallyHotCodeUnlessJavaOptsSaysOtherwise() {
        ToolResult defaults = launch(Map.of("HSMSIGN_CDS", "off", "JAVA_OPTS", "-XX:+PrintFlagsFinal"), "-V");
        ToolResult overridden = launch(Map.of("HSMSIGN_CDS", "off",
                "JAVA_OPTS", "-XX:Tier4InvocationThreshold=5000 -XX:+PrintFlagsFinal"), "-V");

        assertEquals(defaults.output(), 0, defaults.exitCode());
        assertEquals("150000", flag(defaults, "Tier4InvocationThreshold"));
        assertEquals("1200000", flag(defaults, "Tier4BackEdgeThreshold"));
        assertEquals(overridden.output(), 0, overridden.exitCode());
        assertEquals("5000", flag(overridden, "Tier4InvocationThreshold"));
    }

    /** A flag's value in the JVM's -XX:+PrintFlagsFinal table. */
    private static String flag(ToolResult run, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s+= (\\d+)").matcher(run.stdout());
        assertTrue(name + " in " + run.output(), m.find());
        return m.group(1);
    }

    /** The archive the background training puts in {@code dir}, once it is there and the training is over. */
    private static Path awaitArchive(Path dir) throws Exception {
        List<String> names = awaitNames(dir, n -> n.size() == 1 && n.get(0).startsWith("hsmsign-")
                && n.get(0).endsWith(".jsa"));
        return dir.resolve(names.get(0));
    }

    /**
     * The names in {@code dir} once {@code done} holds for them, waiting on the directory's change events rather than
     * on a clock, since what fills it runs in the background.
     */
    private static List<String> awaitNames(Path dir, Predicate<List<String>> done) throws Exception {
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                List<String> names;
                try (Stream<Path> files = Files.list(dir)) {
                    names = files.map(f -> f.getFileName().toString()).collect(Collectors.toList());
                }
                if (done.test(names)) {
                    return names;
                }
                WatchKey key = watch.take();
                key.pollEvents();
                key.reset();
            }
        }
    }

    /** A directory of the class path as a jar, since the JVM archives classes only from jars. */
    private Path asJar(Path entry) throws Exception {
        if (!Files.isDirectory(entry)) {
            return entry;
        }
        Path jar = temp.getRoot().toPath().resolve("classpath-" + Math.abs(entry.hashCode()) + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(entry)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                zip.putNextEntry(new JarEntry(entry.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }

    private ToolResult launch(Path script, String... args) {
        return launch(script, Map.of("HSMSIGN_CDS", "off"), args);
    }

    private ToolResult launch(Map<String, String> env, String... args) {
        return launch(home.resolve("bin/hsmsign"), env, args);
    }

    private ToolResult launch(Path script, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>(env);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.putIfAbsent("XDG_CACHE_HOME", temp.getRoot().toPath().resolve("no-cache").toString());
        return ExternalTool.run(command, environment, home, Duration.ofMinutes(1));
    }
}
