package io.sluice.bench.nativeload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A native benchmark's Markdown report: a heading and table header, then rows printed as they are
 * measured (so a long run shows progress), then the whole written to a file and printed again.
 */
final class TableReport {

    private final StringBuilder text = new StringBuilder();

    TableReport(String heading) {
        text.append(heading);
    }

    void row(String row) {
        System.out.println(row);
        text.append(row).append('\n');
    }

    void write(Path out) throws IOException {
        Files.writeString(out, text);
        System.out.println(text);
        System.out.println("report: " + out);
    }
}
