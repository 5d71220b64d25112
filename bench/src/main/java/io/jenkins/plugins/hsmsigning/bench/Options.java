package io.jenkins.plugins.hsmsigning.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs. */
final class Options {

    private final Map<String, String> values = new HashMap<>();

    Options(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int getInt(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    /** The token PIN comes from the environment, never from the command line. */
    static char[] pin() {
        String pin = System.getenv("BENCH_PIN");
        if (pin == null || pin.isEmpty()) {
            throw new IllegalStateException("BENCH_PIN is not set");
        }
        return pin.toCharArray();
    }
}
