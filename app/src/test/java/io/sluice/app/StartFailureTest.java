package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A node that cannot start says why in one line, naming the port, instead of a stack trace. */
class StartFailureTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTakenRtspPortIsOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            PrintStream stderr = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int exit;
            try {
                exit = new CommandLine(new SluiceCommand()).execute("serve", "--bind-address", "127.0.0.1",
                        "--rtsp-port", Integer.toString(port), "--rtp-port", Integer.toString(FreePorts.udpPair()),
                        "--native-push-port", "0", "--native-pull-port", "0", "--http-port", "0",
                        "--data-dir", dir.resolve("data").toString(), "--media-dir", dir.resolve("media").toString());
            } finally {
                System.setErr(stderr);
            }
            String err = captured.toString(StandardCharsets.UTF_8);
            assertThat(exit).isEqualTo(1);
            assertThat(err).contains("sluice serve: cannot start the media node: RTSP port 127.0.0.1:" + port + ": ")
                    .doesNotContain("\tat ");
        }
    }
}
