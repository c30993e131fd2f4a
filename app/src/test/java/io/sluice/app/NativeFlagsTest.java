package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.node.nativeproto.NativeLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every bound of the native protocol server is a flag (and so a {@code sluice.yml} key). */
class NativeFlagsTest {

    @Test
    void everyNativeLimitIsAFlag() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--native-max-push-streams", "11", "--native-max-pullers", "12",
                "--native-max-live-ids-per-puller", "13", "--native-max-pull-request-bytes", "14000",
                "--native-max-auth-sources", "15", "--native-auth-failures-per-minute", "16",
                "--native-max-pending-auths", "17", "--native-max-datagram-bytes", "9000",
                "--native-retransmits-per-second", "19", "--native-ask-pushers", "false",
                "--native-describe-wait", "2500", "--native-track-wait", "1500");

        NativeLimits limits = serve.flags.toNodeConfig().nativeLimits();

        assertThat(limits.maxPushStreams()).isEqualTo(11);
        assertThat(limits.maxPullers()).isEqualTo(12);
        assertThat(limits.maxLiveIdsPerPuller()).isEqualTo(13);
        assertThat(limits.maxPullRequestBytes()).isEqualTo(14_000);
        assertThat(limits.maxAuthSources()).isEqualTo(15);
        assertThat(limits.authFailuresPerMinute()).isEqualTo(16);
        assertThat(limits.maxPendingAuths()).isEqualTo(17);
        assertThat(limits.maxDatagramBytes()).isEqualTo(9000);
        assertThat(limits.retransmitsPerSecond()).isEqualTo(19);
        assertThat(limits.askPushers()).isFalse();
        assertThat(limits.describeWait()).isEqualTo(java.time.Duration.ofMillis(2500));
        assertThat(limits.trackWait()).isEqualTo(java.time.Duration.ofMillis(1500));
    }

    @Test
    void withoutFlagsTheDefaultsHold() {
        assertThat(new ServeSettings().toNodeConfig().nativeLimits()).isEqualTo(NativeLimits.defaults());
    }
}
