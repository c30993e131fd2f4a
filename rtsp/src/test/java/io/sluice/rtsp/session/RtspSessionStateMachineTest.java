package io.sluice.rtsp.session;

import static io.sluice.rtsp.session.RtspSessionState.INITIAL;
import static io.sluice.rtsp.session.RtspSessionState.PLAY;
import static io.sluice.rtsp.session.RtspSessionState.PRE_PLAY;
import static io.sluice.rtsp.session.RtspSessionState.PRE_RECORD;
import static io.sluice.rtsp.session.RtspSessionState.RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RtspSessionStateMachineTest {

    interface Step {
        void apply(RtspSessionStateMachine m) throws RtspStatusException;
    }

    /** A method, the state it starts in and the state after it; null means 455. */
    record Case(String method, RtspSessionState from, RtspSessionState to) {
    }

    private static final Map<String, Step> METHODS = Map.of(
            "SETUP play", m -> m.onSetup(false),
            "SETUP record", m -> m.onSetup(true),
            "PLAY", RtspSessionStateMachine::onPlay,
            "RECORD", RtspSessionStateMachine::onRecord,
            "PAUSE", RtspSessionStateMachine::onPause,
            "TEARDOWN", RtspSessionStateMachine::onTeardown);

    /** How to reach each state from INITIAL. */
    private static final Map<RtspSessionState, List<String>> PATHS = Map.of(
            INITIAL, List.of(),
            PRE_PLAY, List.of("SETUP play"),
            PLAY, List.of("SETUP play", "PLAY"),
            PRE_RECORD, List.of("SETUP record"),
            RECORD, List.of("SETUP record", "RECORD"));

    private static final List<Case> TABLE = List.of(
            new Case("SETUP play", INITIAL, PRE_PLAY),
            new Case("SETUP play", PRE_PLAY, PRE_PLAY),
            new Case("SETUP play", PLAY, null),
            new Case("SETUP play", PRE_RECORD, null),
            new Case("SETUP play", RECORD, null),
            new Case("SETUP record", INITIAL, PRE_RECORD),
            new Case("SETUP record", PRE_RECORD, PRE_RECORD),
            new Case("SETUP record", PRE_PLAY, null),
            new Case("SETUP record", PLAY, null),
            new Case("SETUP record", RECORD, null),
            new Case("PLAY", INITIAL, null),
            new Case("PLAY", PRE_PLAY, PLAY),
            new Case("PLAY", PLAY, PLAY),
            new Case("PLAY", PRE_RECORD, null),
            new Case("PLAY", RECORD, null),
            new Case("RECORD", INITIAL, null),
            new Case("RECORD", PRE_PLAY, null),
            new Case("RECORD", PLAY, null),
            new Case("RECORD", PRE_RECORD, RECORD),
            new Case("RECORD", RECORD, null),
            new Case("PAUSE", INITIAL, null),
            new Case("PAUSE", PRE_PLAY, PRE_PLAY),
            new Case("PAUSE", PLAY, PRE_PLAY),
            new Case("PAUSE", PRE_RECORD, PRE_RECORD),
            new Case("PAUSE", RECORD, PRE_RECORD),
            new Case("TEARDOWN", INITIAL, INITIAL),
            new Case("TEARDOWN", PRE_PLAY, INITIAL),
            new Case("TEARDOWN", PLAY, INITIAL),
            new Case("TEARDOWN", PRE_RECORD, INITIAL),
            new Case("TEARDOWN", RECORD, INITIAL));

    @Test
    void transitionTable() throws RtspStatusException {
        for (Case c : TABLE) {
            RtspSessionStateMachine m = new RtspSessionStateMachine();
            for (String step : PATHS.get(c.from())) {
                METHODS.get(step).apply(m);
            }
            assertThat(m.state()).isEqualTo(c.from());
            Step step = METHODS.get(c.method());
            if (c.to() == null) {
                assertThatThrownBy(() -> step.apply(m)).as(c.toString())
                        .isInstanceOfSatisfying(RtspStatusException.class,
                                e -> assertThat(e.status()).isEqualTo(RtspResponseStatuses.METHOD_NOT_VALID))
                        .hasMessageContaining(c.from().name());
                assertThat(m.state()).as("state unchanged after refusal").isEqualTo(c.from());
            } else {
                step.apply(m);
                assertThat(m.state()).as(c.toString()).isEqualTo(c.to());
            }
        }
    }

    @Test
    void everyMethodAndStateIsCovered() {
        Function<Case, String> key = c -> c.method() + "@" + c.from();
        assertThat(TABLE.stream().map(key).distinct().count())
                .isEqualTo((long) METHODS.size() * RtspSessionState.values().length);
    }

    @Test
    void streamingFlag() throws RtspStatusException {
        RtspSessionStateMachine m = new RtspSessionStateMachine();
        m.onSetup(false);
        assertThat(m.isStreaming()).isFalse();
        m.onPlay();
        assertThat(m.isStreaming()).isTrue();
        m.onPause();
        assertThat(m.isStreaming()).isFalse();
    }
}
