package io.sluice.api;

import java.io.IOException;

/** Test helpers for other packages. */
public final class TestNodes {

    private TestNodes() {
    }

    /** A publishing RTSP client whose packets the test sends one by one. */
    public interface Publisher extends AutoCloseable {
        void sendRtp(int seq, long timestamp, int ssrc, int payloadBytes) throws IOException;

        @Override
        void close() throws IOException;
    }

    /**
     * Waits until every stream has ended. A node closed while a stream is live shuts its media loop down
     * before the stream can release its cached packets, which the leak detector would report.
     */
    public static void awaitNoStreams(io.sluice.node.MediaNode node) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!node.paths().all().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(50);
    }

    public static Publisher publish(int rtspPort, String liveId, String key) throws IOException {
        RawRtspClient c = RawRtspClient.publish(rtspPort, liveId, key);
        return new Publisher() {
            @Override
            public void sendRtp(int seq, long timestamp, int ssrc, int payloadBytes) throws IOException {
                c.sendRtp(seq, timestamp, ssrc, payloadBytes);
            }

            @Override
            public void close() throws IOException {
                c.close();
            }
        };
    }
}
