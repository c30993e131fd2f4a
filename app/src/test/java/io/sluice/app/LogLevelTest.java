package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --log-level} takes the five documented levels; anything else stops the command with a clear error. */
class LogLevelTest {

    @TempDir
    Path dir;

    @Test
    void theFiveLevelsInAnyCaseAndNullForInfo() {
        assertThat(LogLevel.parse("trace")).isEqualTo(Level.TRACE);
        assertThat(LogLevel.parse("DEBUG")).isEqualTo(Level.DEBUG);
        assertThat(LogLevel.parse("Info")).isEqualTo(Level.INFO);
        assertThat(LogLevel.parse("warn")).isEqualTo(Level.WARN);
        assertThat(LogLevel.parse("error")).isEqualTo(Level.ERROR);
        assertThat(LogLevel.parse(null)).isEqualTo(Level.INFO);
        assertThatThrownBy(() -> LogLevel.parse("verbose")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMisspeltLevelStopsServeBeforeAnythingStarts() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new SluiceCommand()).execute("serve", "--log-level", "verbose",
                    "--data-dir", dir.resolve("data").toString(), "--media-dir", dir.resolve("media").toString(),
                    "--port-offset", "31000");
        } finally {
            System.setErr(stderr);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("sluice serve: log-level must be trace, debug, info, warn or error, not 'verbose'");
    }
}
