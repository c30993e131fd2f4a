package io.sluice.node.vod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlayScaleTest {

    @ParameterizedTest
    @CsvSource({"1, 1", "1.0, 1", "2, 2", " 4.000 , 4", "8, 8", "16, 8", "1e300, 8", "2.4, 2", "2.6, 3", "0.5, 1",
            "0.25, 1"})
    void fastForwardRoundsToAWholeSpeedUpToTheFastest(String header, int applied) {
        assertThat(PlayScale.parse(header)).isEqualTo(applied);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-2.0", "0", "0.0", "NaN", "Infinity", "fast", ""})
    void reverseAndNonsenseAreRefused(String header) {
        assertThatThrownBy(() -> PlayScale.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void noHeaderIsNormalSpeedAndTheAnswerHasThreeDecimals() {
        assertThat(PlayScale.parse(null)).isEqualTo(1);
        assertThat(PlayScale.format(4)).isEqualTo("4.000");
    }
}
