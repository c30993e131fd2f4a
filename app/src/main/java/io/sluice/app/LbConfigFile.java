package io.sluice.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The keys of a {@code sluice.yml} that {@code sluice lb} has flags for, under the same names: one file can
 * configure a node and the load balancers of its cluster, so the keys only a node has are passed over, and
 * so is {@code cluster}, which turns clustering on for a node and means nothing to a load balancer. A flag on
 * the command line wins over the file.
 */
final class LbConfigFile {

    private static final List<String> NOT_FROM_FILES = List.of("config", "cluster");

    private LbConfigFile() {
    }

    /** Sets every option of {@code spec} that {@code file} names and the command line did not give. */
    static void apply(Path file, CommandSpec spec, ParseResult given) throws IOException {
        Map<?, ?> keys = ServeSettings.readYaml(file, Map.class);
        if (keys == null) {
            return;
        }
        for (OptionSpec option : spec.options()) {
            String key = option.longestName().replaceFirst("^--", "");
            if (!keys.containsKey(key) || NOT_FROM_FILES.contains(key) || given.hasMatchedOption(option)
                    || option.usageHelp() || option.versionHelp()) {
                continue;
            }
            option.setValue(convert(key, keys.get(key), option.type()));
        }
    }

    private static Object convert(String key, Object value, Class<?> type) {
        if ((type == int.class || type == Integer.class) && value instanceof Integer i) {
            return i;
        }
        if ((type == boolean.class || type == Boolean.class) && value instanceof Boolean b) {
            return b;
        }
        if (type == String.class && (value instanceof String || value instanceof Number)) {
            return value.toString();
        }
        if (type == List.class && value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (type == List.class && value instanceof String text) {
            return Arrays.stream(text.split(",")).map(String::trim).toList();
        }
        throw new IllegalArgumentException(key + " must be " + (type == List.class ? "a list"
                : type == String.class ? "a string" : type.getSimpleName().toLowerCase()) + ", not " + value);
    }
}
