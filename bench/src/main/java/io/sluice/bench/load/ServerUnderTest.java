package io.sluice.bench.load;

import io.sluice.bench.common.ChildServer;
import java.io.IOException;
import java.nio.file.Path;

/** An RTSP server started as a child process, with a way to publish the benchmark stream to it. */
abstract class ServerUnderTest extends ChildServer {

    ServerUnderTest(String name, boolean jvm, int rtspPort, Path log) {
        super(name, jvm, rtspPort, log);
    }

    /** The live path readers play. */
    String readUrl() {
        return "rtsp://" + HOST + ":" + rtspPort() + "/live/bench";
    }

    /** Starts publishing the capture to the server; the publisher is running when this returns. */
    abstract ReplayPublisher publish(RtpCapture capture, SendTimes sendTimes) throws IOException;
}
