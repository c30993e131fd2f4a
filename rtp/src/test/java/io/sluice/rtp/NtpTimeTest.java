package io.sluice.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NtpTimeTest {

    @Test
    void unixEpochIs2208988800SecondsAfterTheNtpEpoch() {
        assertThat(NtpTime.fromEpochMillis(0)).isEqualTo(0x83AA7E80_00000000L);
        assertThat(NtpTime.fromEpochNanos(0)).isEqualTo(0x83AA7E80_00000000L);
        assertThat(NtpTime.toEpochNanos(0x83AA7E80_00000000L)).isZero();
    }

    @Test
    void knownTimestampFromAnSr() {
        // 2024-04-23T05:19:22.5Z: seconds 0xE9D1C35A, half a second is 0x80000000 of the fraction.
        long epochMs = Instant.parse("2024-04-23T05:19:22.500Z").toEpochMilli();
        assertThat(NtpTime.fromEpochMillis(epochMs)).isEqualTo(0xE9D1C35A_80000000L);
        assertThat(NtpTime.toEpochNanos(0xE9D1C35A_80000000L)).isEqualTo(epochMs * 1_000_000L);
        assertThat(NtpTime.middle32(0xE9D1C35A_80000000L)).isEqualTo(0xC35A8000L);
    }

    @Test
    void middle32IsUnsigned() {
        assertThat(NtpTime.middle32(0xFFFF_FFFF_FFFF_FFFFL)).isEqualTo(0xFFFF_FFFFL);
        assertThat(NtpTime.middle32(0x0000_1234_5678_0000L)).isEqualTo(0x1234_5678L);
    }

    @Test
    void nanosRoundTripExactly() {
        long[] samples = {1, 999_999_999, 1_000_000_000, 1_713_849_562_123_456_789L, 1_713_849_562_999_999_999L,
            -1, -1_500_000_000L, 4_000_000_000_000_000_000L};
        for (long ns : samples) {
            assertThat(NtpTime.toEpochNanos(NtpTime.fromEpochNanos(ns))).as("%d", ns).isEqualTo(ns);
        }
        for (long ns = 1_700_000_000_000_000_000L; ns < 1_700_000_000_000_000_000L + 5_000; ns++) {
            assertThat(NtpTime.toEpochNanos(NtpTime.fromEpochNanos(ns))).isEqualTo(ns);
        }
    }

    @Test
    void fractionIsRoundedToTheNearestStep() {
        // 999_999_999 ns is 4294967291.705 steps of 2^-32 s: .705 rounds up.
        assertThat(NtpTime.fromEpochNanos(999_999_999L)).isEqualTo(0x83AA7E80_FFFFFFFCL);
        assertThat(NtpTime.fromEpochNanos(1_000_000_000L)).isEqualTo(0x83AA7E81_00000000L);
        // 1 ns is 4.295 steps: rounds down.
        assertThat(NtpTime.fromEpochNanos(1L)).isEqualTo(0x83AA7E80_00000004L);
    }

    @Test
    void timesAfterTheFebruary2036WrapReadAsEraOne() {
        long wrapMs = Instant.parse("2036-02-07T06:28:16Z").toEpochMilli();
        assertThat(NtpTime.fromEpochMillis(wrapMs)).isZero();
        assertThat(NtpTime.toEpochNanos(0)).isEqualTo(wrapMs * 1_000_000L);
        long later = Instant.parse("2040-01-01T00:00:00.25Z").toEpochMilli();
        assertThat(NtpTime.toEpochNanos(NtpTime.fromEpochMillis(later))).isEqualTo(later * 1_000_000L);
        long before = wrapMs - 1;
        assertThat(NtpTime.fromEpochMillis(before) >>> 32).isEqualTo(0xFFFF_FFFFL);
        assertThat(NtpTime.toEpochNanos(NtpTime.fromEpochMillis(before))).isEqualTo(before * 1_000_000L);
    }
}
