package io.sluice.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The {@code --log-level} of the commands: a misspelt level is an error, not a silent {@code info}. */
final class LogLevel {

    private static final Map<String, Level> LEVELS = Map.of("trace", Level.TRACE, "debug", Level.DEBUG,
            "info", Level.INFO, "warn", Level.WARN, "error", Level.ERROR);

    private LogLevel() {
    }

    /** The level named {@code name} (any case); null is the default, info. */
    static Level parse(String name) {
        if (name == null) {
            return Level.INFO;
        }
        Level level = LEVELS.get(name.toLowerCase(Locale.ROOT));
        if (level == null) {
            throw new IllegalArgumentException("log-level must be trace, debug, info, warn or error, not '" + name + "'");
        }
        return level;
    }

    /** Sets the root logger's level. */
    static void apply(Level level) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }
}
