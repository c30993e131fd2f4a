package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** A node or load balancer that cannot start says why in one line, naming the port, instead of a stack trace. */
class StartFailureTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} taken")
    @CsvSource({
            "--rtsp-port, --http-port, 'sluice serve: cannot start the media node: RTSP port'",
            "--http-port, --rtsp-port, 'sluice serve: HTTP port'"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTakenNodePortIsOneLineNamingIt(String takenFlag, String otherFlag, String says) throws Exception {
        try (ServerSocket taken = takePort()) {
            int port = taken.getLocalPort();
            Outcome outcome = run(serve(takenFlag, Integer.toString(port), otherFlag, "0"));
            assertOneLineNaming(outcome, says + " 127.0.0.1:" + port + ": ");
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLoadBalancerOnATakenPortIsOneLineNamingIt() throws Exception {
        try (ServerSocket taken = takePort()) {
            int port = taken.getLocalPort();
            int clusterPort;
            try (ServerSocket free = takePort()) {
                clusterPort = free.getLocalPort();
            }
            Outcome outcome = run("lb", "--bind-address", "127.0.0.1", "--http-port", "0",
                    "--rtsp-port", Integer.toString(port), "--cluster-name", "start-failure-" + port,
                    "--cluster-port", Integer.toString(clusterPort), "--cluster-members", "127.0.0.1");
            assertOneLineNaming(outcome, "sluice lb: RTSP port 127.0.0.1:" + port + ": ");
        }
    }

    @Test
    void aLoadBalancerLimitBelowOneIsRefusedBeforeItStarts() {
        Outcome outcome = run("lb", "--max-request-line", "0");
        assertThat(outcome.exit).isEqualTo(2);
        assertThat(outcome.stderr).contains("sluice lb: max-http-body, io-threads, max-request-line and max-header-size "
                + "must be positive").doesNotContain("\tat ");
    }

    private String[] serve(String... ports) throws IOException {
        String[] fixed = {"serve", "--bind-address", "127.0.0.1", "--rtp-port", Integer.toString(FreePorts.udpPair()),
                "--native-push-port", "0", "--native-pull-port", "0",
                "--data-dir", dir.resolve("data").toString(), "--media-dir", dir.resolve("media").toString()};
        String[] args = new String[fixed.length + ports.length];
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(ports, 0, args, fixed.length, ports.length);
        return args;
    }

    private static void assertOneLineNaming(Outcome outcome, String line) {
        assertThat(outcome.exit).isEqualTo(1);
        assertThat(outcome.stderr).contains(line).doesNotContain("\tat ");
    }

    private static ServerSocket takePort() throws Exception {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private record Outcome(int exit, String stderr) {
    }

    private static Outcome run(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new SluiceCommand()).execute(args);
            return new Outcome(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(stderr);
        }
    }
}
