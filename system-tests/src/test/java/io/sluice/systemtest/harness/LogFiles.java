package io.sluice.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the logs that peers and the server write, which may be half-written or not exist yet. */
final class LogFiles {

    private LogFiles() {
    }

    static List<String> lines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            // Peers write whatever bytes they like; a lenient decode never throws on them.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file, int count) {
        List<String> all = lines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    }
}
