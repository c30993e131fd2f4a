package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.seating.SeatingRules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The seating's timings as {@code sluice serve --cluster}, {@code sluice lb} and {@code sluice.yml} give them. */
class SeatingFlagsTest {

    @TempDir
    Path dir;

    @Test
    void theExampleFileReadsWholeAndStatesTheDefaults() throws Exception {
        ServeSettings example = ServeSettings.load(Path.of("..", "sluice.example.yml"));
        assertThat(example.seatingRules()).isEqualTo(SeatingRules.DEFAULT);
        assertThat(example.clusterSeatLease).isEqualTo(15);
    }

    @Test
    void serveFlagsBeatTheFileWhichBeatsTheDefaults() throws Exception {
        Path file = dir.resolve("sluice.yml");
        Files.writeString(file, "cluster-seat-lease: 20\ncluster-room-grace: 40\n");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--cluster", "--cluster-room-grace", "0", "--cluster-node-timeout", "3");

        ServeSettings merged = ServeSettings.load(file).overriddenBy(serve.flags);

        assertThat(merged.seatingRules()).isEqualTo(new SeatingRules(20_000, 0, 3_000));
        assertThat(new ServeSettings().seatingRules()).isEqualTo(SeatingRules.DEFAULT);
    }

    @Test
    void lbFlagsSetTheRulesAndATimingShorterThanTwoReportsIsRefused() {
        LbCommand lb = new LbCommand();
        new CommandLine(lb).parseArgs("--cluster-seat-lease", "8", "--cluster-node-timeout", "4");
        assertThat(lb.seatingRules()).isEqualTo(new SeatingRules(8_000, 30_000, 4_000));
        assertThat(new LbCommand().seatingRules()).isEqualTo(SeatingRules.DEFAULT);

        LbCommand tooShort = new LbCommand();
        new CommandLine(tooShort).parseArgs("--cluster-seat-lease", "1");
        assertThatThrownBy(tooShort::seatingRules).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 s");
    }
}
