package io.sluice.systemtest.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** Waits for a live stream to be readable, so readers start as soon as there is something to read. */
public final class StreamProbe {

    private static final long POLL_MS = 100;

    private StreamProbe() {
    }

    /**
     * DESCRIBEs {@code url} on the loopback {@code port} until it answers 200 (a publisher is on
     * the path); fails after {@code timeout} with the last answer.
     */
    public static void awaitDescribable(int port, String url, Duration timeout) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadlineNs) {
            try (RtspConnection rtsp = RtspConnection.open(port, Duration.ofSeconds(2))) {
                RtspResponse response = rtsp.request("DESCRIBE", url, Map.of("Accept", "application/sdp"));
                if (response.status() == 200) {
                    return;
                }
                last = response.status() + " " + response.reason();
            } catch (IOException | RuntimeException e) {
                last = e.toString();
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError(url + " did not become readable within " + timeout.toMillis() + " ms; last DESCRIBE: " + last);
    }
}
