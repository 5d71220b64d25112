package io.jenkins.plugins.hsmsigning.cli.daemon;

import io.jenkins.plugins.hsmsigning.cli.daemon.DaemonProtocol.Request;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The part of {@code bin/hsmsign} that hands a command to the user's {@link DaemonServer}: a small JVM that loads a
 * handful of classes, sends the working directory, environment and arguments, and copies the answer to its own output
 * and exit code. When no daemon answers, or the command is not one a daemon runs, it exits with {@link #NO_DAEMON}
 * before anything has happened, and {@code bin/hsmsign} runs the command itself (and starts a daemon for next time).
 */
public final class DaemonClient {

    /** Exit code meaning "run it yourself": nothing was run. */
    public static final int NO_DAEMON = 111;

    private DaemonClient() {
    }

    /** {@code DaemonClient SOCKET ARGS...}. */
    public static void main(String[] args) {
        List<String> command = Arrays.asList(args).subList(1, args.length);
        System.exit(run(Path.of(args[0]), new Request(Path.of("").toAbsolutePath(), System.getenv(),
                Charset.defaultCharset().name(), command), System.out, System.err));
    }

    /** Runs {@code request} in the daemon on {@code socket}; its exit code, or {@link #NO_DAEMON}. */
    static int run(Path socket, Request request, PrintStream stdout, PrintStream stderr) {
        if (!DaemonProtocol.served(request.args())) {
            return NO_DAEMON;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            return NO_DAEMON;
        }
        try (channel) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(SocketStreams.out(channel)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(SocketStreams.in(channel)));
            DaemonProtocol.write(out, request);
            try {
                if (in.readByte() != DaemonProtocol.ACCEPTED || in.readInt() != 0) {
                    return NO_DAEMON;
                }
            } catch (IOException e) {
                return NO_DAEMON; // the daemon went away before it took the command: nothing was run
            }
            return copyAnswer(in, stdout, stderr);
        } catch (IOException e) {
            stderr.println("hsmsign: the hsmsign daemon stopped answering before the command ended ("
                    + e.getMessage() + "); some artifacts may be signed. Run the command again without "
                    + "HSMSIGN_DAEMON=on to see where it stands.");
            return 70;
        }
    }

    private static int copyAnswer(DataInputStream in, PrintStream stdout, PrintStream stderr) throws IOException {
        while (true) {
            byte type;
            try {
                type = in.readByte();
            } catch (EOFException e) {
                throw new IOException("no exit code", e);
            }
            int length = in.readInt();
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            switch (type) {
                case DaemonProtocol.OUT -> write(stdout, bytes);
                case DaemonProtocol.ERR -> write(stderr, bytes);
                case DaemonProtocol.EXIT -> {
                    stdout.flush();
                    stderr.flush();
                    return ByteBuffer.wrap(bytes).getInt();
                }
                default -> throw new IOException("an unknown frame " + type);
            }
        }
    }

    private static void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }
}
