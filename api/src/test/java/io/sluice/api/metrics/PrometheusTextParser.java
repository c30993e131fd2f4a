package io.sluice.api.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, as Prometheus itself reads it:
 * {@code # HELP} and {@code # TYPE} lines, then samples {@code name{label="value",...} value [timestamp]}.
 * It rejects what a scraper would reject: bad names, bad escapes, unparsable values, a TYPE after its
 * samples or twice, samples of one family that are not together, a sample whose name does not belong to
 * the family TYPE'd before it, and the same series twice.
 */
final class PrometheusTextParser {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Set<String> closed = new HashSet<>();
    private final Set<String> series = new HashSet<>();
    private Family current;

    static Map<String, Family> parse(String text) {
        PrometheusTextParser p = new PrometheusTextParser();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            try {
                p.line(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + lines[i], e);
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a newline");
        }
        return p.families;
    }

    private void line(String line) {
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("#")) {
            String[] parts = line.split(" ", 4);
            if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                metadata(parts[1], parts[2], parts.length == 4 ? parts[3] : "");
            }
            return;
        }
        sample(line);
    }

    private void metadata(String kind, String name, String rest) {
        require(METRIC_NAME.matcher(name).matches(), "bad metric name " + name);
        Family f = families.get(name);
        if (f == null) {
            if (current != null && !current.name().equals(name)) {
                closed.add(current.name());
            }
            require(!closed.contains(name), "metadata of " + name + " after its samples");
            f = new Family(name, "untyped", "", new ArrayList<>());
            families.put(name, f);
        } else {
            require(f.samples().isEmpty(), kind + " of " + name + " after its samples");
        }
        if (kind.equals("TYPE")) {
            require(TYPES.contains(rest), "unknown type " + rest);
            require(f.type().equals("untyped"), "second TYPE for " + name);
            f = new Family(name, rest, f.help(), f.samples());
        } else {
            checkHelpEscapes(rest);
            f = new Family(name, f.type(), rest, f.samples());
        }
        families.put(name, f);
        current = f;
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC_NAME.matcher(name).matches(), "bad metric name " + name);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > 0, "label without =");
                String label = line.substring(i, eq);
                require(LABEL_NAME.matcher(label).matches(), "bad label name " + label);
                require(line.charAt(eq + 1) == '"', "label value must be quoted");
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        require(e == '\\' || e == '"' || e == 'n', "bad escape \\" + e);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                }
                require(labels.put(label, value.toString()) == null, "label " + label + " twice");
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', "no value");
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length == 1 || rest.length == 2, "value and at most a timestamp");
        double value = value(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        Family f = familyOf(name);
        require(series.add(name + labels), "series " + name + labels + " twice");
        f.samples().add(new Sample(name, labels, value));
    }

    private Family familyOf(String sampleName) {
        if (current != null) {
            String base = current.name();
            boolean belongs = sampleName.equals(base) || switch (current.type()) {
                case "histogram" -> sampleName.equals(base + "_bucket") || sampleName.equals(base + "_sum")
                        || sampleName.equals(base + "_count");
                case "summary" -> sampleName.equals(base + "_sum") || sampleName.equals(base + "_count");
                default -> false;
            };
            if (belongs) {
                return current;
            }
            closed.add(base);
        }
        require(!families.containsKey(sampleName), "samples of " + sampleName + " are not together");
        Family f = new Family(sampleName, "untyped", "", new ArrayList<>());
        families.put(sampleName, f);
        current = f;
        return f;
    }

    private static double value(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                require(s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?"), "bad value " + s);
                yield Double.parseDouble(s);
            }
        };
    }

    /** HELP text may escape only a backslash and a newline. */
    private static void checkHelpEscapes(String help) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                require(i + 1 < help.length() && (help.charAt(i + 1) == '\\' || help.charAt(i + 1) == 'n'),
                        "bad escape in HELP");
                i++;
            }
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
