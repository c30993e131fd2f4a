package io.sluice.bench.common;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value}, {@code --name=value} (for a value that starts with {@code --}) and {@code --flag}
 * command-line options of the load generators.
 */
public final class Options {

    private final Map<String, String> values = new HashMap<>();

    public Options(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            int equals = key.indexOf('=');
            if (equals > 0) {
                values.put(key.substring(0, equals), key.substring(equals + 1));
                continue;
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            values.put(key, flag ? "true" : args[++i]);
        }
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return Integer.parseInt(string(name, Integer.toString(fallback)));
    }

    public List<Integer> integers(String name, String fallback) {
        return Arrays.stream(string(name, fallback).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** Whether {@code --name} was given, with or without a value. */
    public boolean flag(String name) {
        return values.containsKey(name);
    }
}
