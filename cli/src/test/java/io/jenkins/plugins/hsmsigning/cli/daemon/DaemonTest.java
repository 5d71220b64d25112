package io.jenkins.plugins.hsmsigning.cli.daemon;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.hsmsigning.cli.daemon.DaemonProtocol.Request;
import io.jenkins.plugins.hsmsigning.engine.testing.SoftHsmToken;
import io.jenkins.plugins.hsmsigning.engine.testing.ToolResult;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code hsmsign sign} and {@code verify} through a {@link DaemonServer} in this JVM and a {@link DaemonClient}, as
 * {@code bin/hsmsign} runs them with {@code HSMSIGN_DAEMON=on}: the caller's working directory and environment count,
 * not the daemon's, every request brings its own PIN, and what the daemon does not run is left to the caller.
 */
public class DaemonTest {

    private static final String PIN_VARIABLE = "HSMSIGN_TEST_PIN";

    private static Path socketDirectory;
    private static Path socket;
    private static DaemonServer server;
    private static CompletableFuture<Void> serving;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path work;

    /** UNIX socket paths are short (about a hundred bytes): under /tmp where there is one, not the build directory. */
    private static Path shortDirectory() throws IOException {
        Path tmp = Path.of("/tmp");
        return Files.isDirectory(tmp) ? Files.createTempDirectory(tmp, "hsd") : Files.createTempDirectory("hsd");
    }

    @BeforeClass
    public static void startDaemon() throws Exception {
        socketDirectory = shortDirectory();
        socket = socketDirectory.resolve("d.sock");
        server = DaemonServer.bind(socket, Duration.ofMinutes(10));
        serving = CompletableFuture.runAsync(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterClass
    public static void stopDaemon() throws Exception {
        if (server != null) {
            server.stop();
            serving.join();
        }
        if (socketDirectory != null) {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socketDirectory);
        }
    }

    @Before
    public void createWorkDirectory() throws IOException {
        work = temp.newFolder("work").toPath();
    }

    @After
    public void noSocketLeftBehindByTheTest() {
        assertTrue("the shared daemon still answers", Files.exists(socket));
    }

    private ToolResult run(Path on, Map<String, String> env, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(env);
        int exitCode = DaemonClient.run(on, new Request(work, environment, "UTF-8", args),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ToolResult(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> signWithToken(String pin, String... files) {
        SoftHsmToken token = SoftHsmToken.shared();
        List<String> args = new ArrayList<>(List.of("sign", "--pkcs11-library", token.library().toString(),
                "--token-label", token.tokenLabel(), "--key-alias", SoftHsmToken.RSA3072, "--cert-chain",
                token.chainPem(SoftHsmToken.RSA3072).toString(), "--pin-env", PIN_VARIABLE, "--format", "cms"));
        args.addAll(List.of(files));
        return args;
    }

    @Test
    public void signsAndVerifiesInTheCallersDirectoryWithTheCallersEnvironment() throws Exception {
        SoftHsmToken token = SoftHsmToken.shared();
        Files.writeString(work.resolve("a.txt"), "first");
        Files.createDirectories(work.resolve("sub"));
        Files.writeString(work.resolve("sub/b.txt"), "second");

        ToolResult signed = run(socket, Map.of(PIN_VARIABLE, SoftHsmToken.USER_PIN),
                signWithToken(SoftHsmToken.USER_PIN, "a.txt", "sub/b.txt"));
        ToolResult verified = run(socket, Map.of(), List.of("verify", "--trust", token.caPem().toString(), "a.txt",
                "sub/b.txt"));

        assertEquals(signed.output(), 0, signed.exitCode());
        assertTrue(Files.exists(work.resolve("a.txt.p7s")));
        assertTrue(Files.exists(work.resolve("sub/b.txt.p7s")));
        assertEquals(verified.output(), 0, verified.exitCode());
        assertThat(verified.stdout(), containsString("sub/b.txt"));
        assertThat(signed.output(), not(containsString(SoftHsmToken.USER_PIN)));
    }

    @Test
    public void everyRequestBringsItsOwnPin() throws Exception {
        Files.writeString(work.resolve("a.txt"), "payload");

        ToolResult right = run(socket, Map.of(PIN_VARIABLE, SoftHsmToken.USER_PIN),
                signWithToken(SoftHsmToken.USER_PIN, "a.txt"));
        ToolResult wrong = run(socket, Map.of(PIN_VARIABLE, "not-the-pin"), signWithToken("not-the-pin", "a.txt"));
        ToolResult none = run(socket, Map.of(), signWithToken(null, "a.txt"));

        assertEquals(right.output(), 0, right.exitCode());
        assertEquals(wrong.output(), 3, wrong.exitCode());
        assertThat(wrong.stderr(), containsString("PIN"));
        assertThat(wrong.output(), not(containsString("not-the-pin")));
        assertEquals(none.output(), 2, none.exitCode());
        assertThat(none.stderr(), containsString(PIN_VARIABLE));
    }

    @Test
    public void whatTheDaemonDoesNotRunIsLeftToTheCaller() throws Exception {
        Files.writeString(work.resolve("args.txt"), "sign");

        assertEquals(DaemonClient.NO_DAEMON, run(socket, Map.of(), List.of("demo")).exitCode());
        assertEquals(DaemonClient.NO_DAEMON, run(socket, Map.of(), List.of("sign", "@args.txt")).exitCode());
        assertEquals(DaemonClient.NO_DAEMON, run(socket, Map.of(), List.of()).exitCode());
        assertEquals(DaemonClient.NO_DAEMON,
                run(socketDirectory.resolve("none.sock"), Map.of(), List.of("verify", "a.txt")).exitCode());
    }

    @Test
    public void theDaemonItselfRefusesOtherCommands() throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(SocketStreams.out(channel)));
            DataInputStream in = new DataInputStream(SocketStreams.in(channel));
            DaemonProtocol.write(out, new Request(work, Map.of(), "UTF-8", List.of("demo", "--pkcs12")));

            assertEquals(DaemonProtocol.ACCEPTED, in.readByte());
            assertEquals(0, in.readInt());
            assertEquals(DaemonProtocol.ERR, in.readByte());
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            assertThat(new String(message, StandardCharsets.UTF_8), containsString("only sign and verify"));
            assertEquals(DaemonProtocol.EXIT, in.readByte());
            assertEquals(4, in.readInt());
            assertEquals(2, in.readInt());
        }
        assertFalse("the demo did not run", Files.exists(work.resolve("demo")));
    }

    @Test
    public void anIdleDaemonEndsAndRemovesItsSocketAndAStaleSocketIsReplaced() throws Exception {
        Path own = socketDirectory.resolve("idle.sock");
        // a socket file left by a daemon that was killed: bound, never removed
        ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        killed.bind(UnixDomainSocketAddress.of(own));
        killed.close();
        assertTrue(Files.exists(own));

        DaemonServer idle = DaemonServer.bind(own, Duration.ofMillis(300));

        assertNotNull("it binds, replacing the stale socket", idle);
        idle.serve(); // returns once idle
        assertFalse(Files.exists(own));
    }

    @Test
    public void aSecondDaemonOnTheSameSocketLeavesTheFirstAlone() throws Exception {
        assertNull(DaemonServer.bind(socket, Duration.ofMinutes(1)));
        assertTrue(Files.exists(socket));
    }

    @Test
    public void noDaemonInADirectoryOthersCanEnter() throws Exception {
        Path open = Files.createDirectories(socketDirectory.resolve("open"));
        Assume.assumeTrue("no POSIX permissions here",
                open.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            IOException refused = assertThrows(IOException.class,
                    () -> DaemonServer.bind(open.resolve("d.sock"), Duration.ofMinutes(1)));

            assertThat(refused.getMessage(), containsString("rwx------"));
            assertFalse(Files.exists(open.resolve("d.sock")));
        } finally {
            Files.deleteIfExists(open);
        }
    }

    @Test
    public void aRequestNeverShowsItsEnvironment() {
        Request request = new Request(Path.of("/w"), Map.of(PIN_VARIABLE, "s3cr3t-pin"), "UTF-8", List.of("sign"));

        assertThat(request.toString(), not(containsString("s3cr3t-pin")));
    }
}
