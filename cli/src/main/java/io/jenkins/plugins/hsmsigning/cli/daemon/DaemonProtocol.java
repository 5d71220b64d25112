package io.jenkins.plugins.hsmsigning.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link DaemonClient} and {@link DaemonServer} say to each other over their UNIX socket: the client sends one
 * request (its working directory, environment, output charset and arguments); the server answers with an
 * {@link #ACCEPTED} frame once it has read it, then output frames and finally the exit code. Before that first frame
 * the client may still run the command itself, since nothing has happened yet.
 */
final class DaemonProtocol {

    static final int MAGIC = 0x48534d31; // "HSM1"
    static final byte ACCEPTED = 0;
    static final byte OUT = 1;
    static final byte ERR = 2;
    static final byte EXIT = 3;
    /** Bounds on what a request may hold, so that a confused peer cannot make the daemon allocate without end. */
    private static final int MAX_COUNT = 1_000_000;
    private static final int MAX_BYTES = 16 << 20;

    /** A command to run as if started in {@code workDir} with {@code environment}. */
    record Request(Path workDir, Map<String, String> environment, String charset, List<String> args) {

        @Override
        public String toString() {
            return "Request[" + workDir + ", " + args.size() + " arguments]"; // never the environment: it holds PINs
        }
    }

    private DaemonProtocol() {
    }

    /**
     * Whether a daemon may run {@code args}: {@code sign} and {@code verify}, the commands that handle batches, and
     * no {@code @FILE} argument (picocli would read it from the daemon's working directory, not the caller's).
     */
    static boolean served(List<String> args) {
        return !args.isEmpty() && (args.get(0).equals("sign") || args.get(0).equals("verify"))
                && args.stream().noneMatch(a -> a.startsWith("@"));
    }

    static void write(DataOutputStream out, Request request) throws IOException {
        out.writeInt(MAGIC);
        writeString(out, request.workDir().toString());
        out.writeInt(request.environment().size());
        for (Map.Entry<String, String> e : request.environment().entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        writeString(out, request.charset());
        out.writeInt(request.args().size());
        for (String arg : request.args()) {
            writeString(out, arg);
        }
        out.flush();
    }

    static Request read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not an hsmsign request");
        }
        Path workDir = Path.of(readString(in));
        int variables = count(in);
        Map<String, String> environment = new HashMap<>();
        for (int i = 0; i < variables; i++) {
            environment.put(readString(in), readString(in));
        }
        String charset = readString(in);
        int arguments = count(in);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < arguments; i++) {
            args.add(readString(in));
        }
        return new Request(workDir, environment, charset, args);
    }

    /** One frame of output or the exit code, flushed at once. */
    static void frame(DataOutputStream out, byte type, byte[] bytes, int offset, int length) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(length);
            out.write(bytes, offset, length);
            out.flush();
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("a request with " + n + " items");
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_BYTES) {
            throw new IOException("a string of " + length + " bytes in a request");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
