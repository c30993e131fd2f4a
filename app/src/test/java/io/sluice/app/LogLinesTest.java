package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The product's log is one line per event: what a peer sends (a film path, a stream name, a uid) reaches the
 * messages, and a line break or terminal escape in it must not forge a line of its own.
 */
class LogLinesTest {

    @SuppressWarnings("unchecked")
    private static String line(String message) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ILoggingEvent> stdout = (OutputStreamAppender<ILoggingEvent>) root.getAppender("STDOUT");
        LoggingEvent event = new LoggingEvent(LogLinesTest.class.getName(), root, Level.INFO, message, null, null);
        String line = new String(stdout.getEncoder().encode(event), StandardCharsets.UTF_8);
        return line.substring(line.indexOf(" - ") + 3);
    }

    @Test
    void controlCharactersInAMessageCannotStartAnotherLine() {
        assertThat(line("DESCRIBE -> 404 (film 'x\n08:00:00.000 ERROR Fake - injected.mp4': no such file)"))
                .isEqualTo("DESCRIBE -> 404 (film 'x?08:00:00.000 ERROR Fake - injected.mp4': no such file)"
                        + System.lineSeparator());
        assertThat(line("a\rb\u0000c\u001b[31md\u007fe")).isEqualTo("a?b?c?[31md?e" + System.lineSeparator());
        assertThat(line("film 'ü/a\tb.mp4'")).isEqualTo("film 'ü/a\tb.mp4'" + System.lineSeparator());
    }
}
