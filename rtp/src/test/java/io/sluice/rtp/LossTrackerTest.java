package io.sluice.rtp;

import static io.sluice.rtp.LossTracker.Result.DUPLICATE;
import static io.sluice.rtp.LossTracker.Result.NEW;
import static io.sluice.rtp.LossTracker.Result.OLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LossTrackerTest {

    private static List<Integer> missing(LossTracker tracker) {
        List<Integer> out = new ArrayList<>();
        tracker.forEachMissing(out::add);
        assertThat(tracker.missingCount()).isEqualTo(out.size());
        return out;
    }

    @Test
    void gapsAreMissingUntilFilled() {
        LossTracker tracker = new LossTracker();
        assertThat(tracker.started()).isFalse();
        assertThat(missing(tracker)).isEmpty();

        assertThat(tracker.onPacket(10)).isEqualTo(NEW);
        assertThat(tracker.onPacket(11)).isEqualTo(NEW);
        assertThat(tracker.onPacket(15)).isEqualTo(NEW);
        assertThat(missing(tracker)).containsExactly(12, 13, 14);
        assertThat(tracker.highestSequence()).isEqualTo(15);

        assertThat(tracker.onPacket(13)).isEqualTo(NEW);
        assertThat(missing(tracker)).containsExactly(12, 14);
        assertThat(tracker.onPacket(13)).isEqualTo(DUPLICATE);
        assertThat(tracker.onPacket(15)).isEqualTo(DUPLICATE);
        assertThat(tracker.onPacket(9)).isEqualTo(OLD);
        assertThat(tracker.highestSequence()).isEqualTo(15);
    }

    @Test
    void gapsAcrossTheSequenceWrap() {
        LossTracker tracker = new LossTracker();
        tracker.onPacket(65533);
        tracker.onPacket(65534);
        tracker.onPacket(2);
        assertThat(missing(tracker)).containsExactly(65535, 0, 1);
        assertThat(tracker.onPacket(0)).isEqualTo(NEW);
        assertThat(missing(tracker)).containsExactly(65535, 1);
        assertThat(tracker.highestSequence()).isEqualTo(2);
    }

    @Test
    void markRecoveredStopsReportingANumber() {
        LossTracker tracker = new LossTracker();
        tracker.onPacket(100);
        tracker.onPacket(105);
        tracker.markRecovered(102);
        tracker.markRecovered(106);   // above the highest: ignored
        tracker.markRecovered(50);    // before the window start: ignored
        assertThat(missing(tracker)).containsExactly(101, 103, 104);
        assertThat(tracker.onPacket(102)).isEqualTo(DUPLICATE);
        assertThat(tracker.onPacket(106)).isEqualTo(NEW);
        assertThat(missing(tracker)).containsExactly(101, 103, 104);
    }

    @Test
    void numbersLeaveTheWindowAsTheHighestAdvances() {
        LossTracker tracker = new LossTracker(64);
        tracker.onPacket(0);
        tracker.onPacket(63);
        assertThat(missing(tracker)).hasSize(62).startsWith(1, 2).endsWith(61, 62);

        tracker.onPacket(64);   // window is now 1..64
        assertThat(missing(tracker)).hasSize(62).startsWith(1).endsWith(62);
        tracker.onPacket(66);   // window 3..66: 1 and 2 fall out, 65 joins
        assertThat(missing(tracker)).hasSize(61).startsWith(3).endsWith(61, 62, 65);
        assertThat(tracker.onPacket(2)).isEqualTo(OLD);
        assertThat(tracker.onPacket(3)).isEqualTo(NEW);
        assertThat(tracker.onPacket(0)).isEqualTo(OLD);
        assertThat(missing(tracker)).hasSize(60).startsWith(4);
    }

    @Test
    void aJumpOfAWholeWindowRestartsWithNothingMissing() {
        LossTracker tracker = new LossTracker(64);
        tracker.onPacket(100);
        tracker.onPacket(102);
        assertThat(tracker.onPacket(166)).isEqualTo(NEW);
        assertThat(missing(tracker)).isEmpty();
        assertThat(tracker.onPacket(165)).isEqualTo(OLD);
        assertThat(tracker.onPacket(168)).isEqualTo(NEW);
        assertThat(missing(tracker)).containsExactly(167);

        LossTracker justInside = new LossTracker(64);
        justInside.onPacket(65500);
        justInside.onPacket((65500 + 63) & 0xFFFF);
        assertThat(missing(justInside)).hasSize(62).startsWith(65501).contains(65535, 0).endsWith(26);
    }

    @Test
    void resetForgetsEverything() {
        LossTracker tracker = new LossTracker();
        tracker.onPacket(1);
        tracker.onPacket(5);
        tracker.reset();
        assertThat(tracker.started()).isFalse();
        assertThat(missing(tracker)).isEmpty();
        assertThat(tracker.onPacket(40_000)).isEqualTo(NEW);
        assertThat(tracker.onPacket(40_002)).isEqualTo(NEW);
        assertThat(missing(tracker)).containsExactly(40_001);
    }

    @Test
    void agreesWithASetOverSeveralWrapsWithLossAndReorder() {
        int window = 128;
        LossTracker tracker = new LossTracker(window);
        TreeSet<Long> received = new TreeSet<>();
        Random random = new Random(4585);
        long first = 65_000;
        long highest = first;
        tracker.onPacket((int) first);
        received.add(first);
        for (long next = first + 1; next < first + 3 * 65_536; next++) {
            if (random.nextInt(100) < 5) {
                continue;   // lost, unless resent below
            }
            long seq = next;
            if (random.nextInt(100) < 3) {
                seq = next - 1 - random.nextInt(window + 20);   // a late packet or a resend
            }
            LossTracker.Result expected;
            if (seq > highest) {
                expected = NEW;
            } else if (seq <= highest - window || seq < first) {
                expected = OLD;
            } else {
                expected = received.contains(seq) ? DUPLICATE : NEW;
            }
            assertThat(tracker.onPacket((int) (seq & 0xFFFF))).as("seq %d", seq).isEqualTo(expected);
            if (expected != OLD) {
                received.add(seq);
                highest = Math.max(highest, seq);
            }
            if (next % 1000 == 0) {
                List<Integer> want = new ArrayList<>();
                for (long s = Math.max(first, highest - window + 1); s < highest; s++) {
                    if (!received.contains(s)) {
                        want.add((int) (s & 0xFFFF));
                    }
                }
                assertThat(missing(tracker)).isEqualTo(want);
                received.headSet(highest - 2L * window).clear();
            }
        }
    }

    @Test
    void windowSizeMustBeAPowerOfTwoInRange() {
        assertThatThrownBy(() -> new LossTracker(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LossTracker(32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LossTracker(1 << 15)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LossTracker(LossTracker.MAX_WINDOW_SIZE).started()).isFalse();
    }
}
