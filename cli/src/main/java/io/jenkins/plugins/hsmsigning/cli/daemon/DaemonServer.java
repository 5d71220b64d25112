package io.jenkins.plugins.hsmsigning.cli.daemon;

import io.jenkins.plugins.hsmsigning.cli.HsmSign;
import io.jenkins.plugins.hsmsigning.cli.daemon.DaemonProtocol.Request;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import picocli.CommandLine;

/**
 * A JVM that stays up between {@code hsmsign sign} and {@code verify} runs of one user ({@code HSMSIGN_DAEMON=on}), so
 * that they no longer pay for starting the JVM, loading classes and compiling the hot code every time: on a few cores
 * that warm-up costs more than the signing of hundreds of small files. Each request runs exactly as
 * {@code hsmsign} would in the caller's working directory with the caller's environment, on its own thread; nothing
 * of it is kept afterwards. Keys are opened per request and closed after it, so the token logs out when no request
 * uses it (the engine checks every request's PIN, see {@code Pkcs11Token}).
 *
 * <p>The socket lives in a directory of the user's own that nobody else may enter ({@code bin/hsmsign} checks it), and
 * a connection from another user is refused where the platform tells who connected. The daemon ends once it has been
 * idle for the given time, and removes its socket.
 */
public final class DaemonServer {

    private final Path socket;
    private final Duration idle;
    private final ServerSocketChannel server;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    private DaemonServer(Path socket, Duration idle, ServerSocketChannel server) {
        this.socket = socket;
        this.idle = idle;
        this.server = server;
    }

    /** {@code DaemonServer SOCKET IDLE_SECONDS}: serves until idle, then exits. */
    public static void main(String[] args) throws IOException {
        DaemonServer daemon = bind(Path.of(args[0]), Duration.ofSeconds(Long.parseLong(args[1])));
        if (daemon != null) {
            daemon.serve();
        }
        System.exit(0);
    }

    /**
     * A daemon bound to {@code socket} (replacing a stale one no daemon answers on), ready to {@link #serve}; null if
     * another daemon already serves there.
     */
    public static DaemonServer bind(Path socket, Duration idle) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        if (Files.exists(socket)) {
            try (SocketChannel probe = SocketChannel.open(address)) {
                return null; // another daemon answers there
            } catch (IOException e) {
                Files.deleteIfExists(socket); // left by a daemon that was killed
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(address);
        } catch (IOException e) {
            server.close();
            return null; // another daemon bound it just now
        }
        if (!reachableByOwnerOnly(socket)) {
            server.close();
            Files.deleteIfExists(socket);
            throw new IOException("the daemon's socket directory " + socket.getParent() + " must belong to this "
                    + "user and be closed to everyone else (rwx------)");
        }
        return new DaemonServer(socket, idle, server);
    }

    /** Serves until idle or {@link #stop stopped}, then removes the socket and waits for the requests under way. */
    public void serve() throws IOException {
        Thread watchdog = new Thread(this::closeWhenIdle, "hsmsign daemon idle watch");
        watchdog.setDaemon(true);
        watchdog.start();
        try (server) {
            while (true) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    break; // closed when idle
                }
                running.incrementAndGet();
                lastActivity.set(System.nanoTime());
                Thread worker = new Thread(() -> {
                    try {
                        handle(client);
                    } finally {
                        lastActivity.set(System.nanoTime());
                        running.decrementAndGet();
                    }
                }, "hsmsign daemon request");
                worker.start();
            }
        } finally {
            Files.deleteIfExists(socket);
        }
        awaitRequestsUnderWay();
    }

    /** A request accepted just as the daemon went idle still gets its answer before the JVM ends. */
    private void awaitRequestsUnderWay() {
        boolean interrupted = false;
        while (running.get() > 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking requests now; those under way finish. */
    public void stop() throws IOException {
        server.close();
    }

    /** Whether only the owner of {@code socket}, this process's user, can reach it: its directory is theirs alone. */
    private static boolean reachableByOwnerOnly(Path socket) throws IOException {
        Path directory = socket.toAbsolutePath().getParent();
        if (directory == null) {
            return false;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return true; // no POSIX permissions (Windows): the directory's ACL decides
        }
        PosixFileAttributes attributes = view.readAttributes();
        return attributes.owner().equals(Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS))
                && attributes.permissions().equals(PosixFilePermissions.fromString("rwx------"));
    }

    private void closeWhenIdle() {
        while (true) {
            try {
                Thread.sleep(Math.min(1000, Math.max(10, idle.toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            }
            if (running.get() == 0 && System.nanoTime() - lastActivity.get() > idle.toNanos()) {
                try {
                    server.close();
                } catch (IOException e) {
                    // closing is all that was wanted
                }
                return;
            }
        }
    }

    private void handle(SocketChannel client) {
        try (client) {
            if (!sameUser(client)) {
                return;
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(SocketStreams.in(client)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(SocketStreams.out(client)));
            Request request = DaemonProtocol.read(in);
            DaemonProtocol.frame(out, DaemonProtocol.ACCEPTED, new byte[0], 0, 0);
            int exitCode = run(request, out, in);
            DaemonProtocol.frame(out, DaemonProtocol.EXIT, ByteBuffer.allocate(4).putInt(exitCode).array(), 0, 4);
        } catch (IOException | RuntimeException e) {
            // the client went away or sent nonsense: nothing to answer
        }
    }

    /** Runs the request as {@code hsmsign} would; a client that hangs up interrupts it, as Ctrl-C would. */
    private static int run(Request request, DataOutputStream out, InputStream in) {
        Charset charset = charset(request.charset());
        if (!DaemonProtocol.served(request.args())) {
            byte[] message = "hsmsign daemon: only sign and verify, without @FILE arguments, are run here\n"
                    .getBytes(charset);
            try {
                DaemonProtocol.frame(out, DaemonProtocol.ERR, message, 0, message.length);
            } catch (IOException e) {
                // the exit code still says it
            }
            return 2;
        }
        Thread worker = Thread.currentThread();
        Thread hangUp = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // the client sends nothing more; end of stream means it is gone
                }
            } catch (IOException e) {
                // gone as well
            }
            worker.interrupt();
        }, "hsmsign daemon hang-up watch");
        hangUp.setDaemon(true);
        hangUp.start();
        PrintWriter stdout = Frames.writer(out, DaemonProtocol.OUT, charset);
        PrintWriter stderr = Frames.writer(out, DaemonProtocol.ERR, charset);
        CommandLine commandLine = HsmSign.commandLine(new HsmSign(request.workDir(), request.environment()::get));
        commandLine.setOut(stdout);
        commandLine.setErr(stderr);
        int exitCode = commandLine.execute(request.args().toArray(String[]::new));
        stdout.flush();
        stderr.flush();
        return exitCode;
    }

    /** The caller's output charset; UTF-8 when this JVM does not know it. */
    private static Charset charset(String name) {
        try {
            return Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.UTF_8;
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * Where the platform says who connected (Linux, macOS): only the user the socket belongs to, which is this
     * process's; elsewhere the directory decides.
     */
    private boolean sameUser(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer;
        try {
            peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (UnsupportedOperationException e) {
            return true;
        }
        return peer.user().getName().equals(Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName());
    }

    /** An output stream whose every write becomes one frame of the given type. */
    private static final class Frames extends OutputStream {

        private final DataOutputStream out;
        private final byte type;

        Frames(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        /** Text in {@code charset}, flushed at every line, as frames of {@code type}. */
        static PrintWriter writer(DataOutputStream out, byte type, Charset charset) {
            return new PrintWriter(new OutputStreamWriter(new Frames(out, type), charset), true);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            DaemonProtocol.frame(out, type, b, off, len);
        }
    }
}
