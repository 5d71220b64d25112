package io.jenkins.plugins.hsmsigning.cli;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.hsmsigning.engine.testing.ExternalTool;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, Stream.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)).map(p -> Path.of(p).toUri().toString()).collect(Collectors.joining(" ")));
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

    private ToolResult launch(Path script, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(args));
        return ExternalTool.run(command, Map.of("JAVA_HOME", System.getProperty("java.home")), home,
                Duration.ofMinutes(1));
    }
}
