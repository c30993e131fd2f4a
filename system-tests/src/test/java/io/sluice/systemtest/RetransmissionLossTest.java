package io.sluice.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.systemtest.harness.Clip;
import io.sluice.systemtest.harness.FfmpegCommands;
import io.sluice.systemtest.harness.FrameMd5;
import io.sluice.systemtest.harness.GstCommands;
import io.sluice.systemtest.harness.GstRtspServerPeer;
import io.sluice.systemtest.harness.IntactFrames;
import io.sluice.systemtest.harness.NetworkNamespace;
import io.sluice.systemtest.harness.PeerProcess;
import io.sluice.systemtest.harness.Peers;
import io.sluice.systemtest.harness.SluiceServerProcess;
import io.sluice.systemtest.harness.StreamKey;
import io.sluice.systemtest.harness.SystemTestExtension;
import io.sluice.systemtest.harness.SystemTestRun;
import io.sluice.systemtest.harness.TestClips;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Retransmission to RTSP readers under real loss: each test makes a network namespace where nftables
 * drops a random share of all UDP datagrams (RTP to the readers and their RTCP back), and runs the
 * Sluice server, an ffmpeg publisher over TCP (so the published stream itself loses nothing) and the
 * readers inside it. Every reader reads the whole 10 s clip from its first keyframe; what it decoded
 * intact is measured against the source, printed for every reader, and kept in {@code shares.txt}.
 *
 * <p>Asserted are the floors that hold run after run; the runs without retransmission, and
 * GStreamer's own RTSP server with RTX, are measured side by side and reported.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RetransmissionLossTest {

    private static final Duration SERVER_LIFETIME = Duration.ofSeconds(60);
    private static final Duration PUBLISHER_DEADLINE = Duration.ofSeconds(25);
    private static final Duration READER_DEADLINE = Duration.ofSeconds(30);
    private static final Duration RECORDING_TIMEOUT = Duration.ofSeconds(15);
    /** Longer than the clip, so that a reader ends with the stream (BYE, or its I/O timeout), not before. */
    private static final double FFMPEG_READ_SECONDS = 14;
    /**
     * From a GStreamer reader's start, when it must have had its whole stream: the clip's 10 s, its
     * set-up, the jitter buffer's latency, Sluice's delay for it (the age of its first cached packet, up
     * to a GOP) and the second its last NACKs are still answered in, and a margin.
     */
    private static final Duration GST_STREAM_END = Duration.ofSeconds(TestClips.SECONDS + 8);
    /** What GStreamer's server keeps per stream to answer NACKs. */
    private static final Duration GST_SERVER_RETRANSMISSION = Duration.ofSeconds(1);
    private static final int FFMPEG_READERS = 2;
    /**
     * The least share of frames each ffmpeg reader with NACK and its defaults decodes intact at 3% loss:
     * far below the 99%, because ffmpeg asks at most once per 200 ms and gives a gap up after
     * 100 ms, so a lost NACK, or a second gap within 100 ms of its last NACK, is a lost packet and the
     * rest of its GOP. Measured over 11 runs on a quiet machine (22 readers): 72.8% to 100%, mean 92.5%;
     * under other engineers' builds (load 11 to 17), 47.5% and up. Readers without NACK scatter from 22% to
     * 92%, so the share cannot tell a broken retransmission from bad luck;
     * {@link #assertEveryNackReaderWasAnswered} does.
     */
    private static final double FFMPEG_NACK_FLOOR = 0.40;
    /**
     * The least share for each ffmpeg reader with NACK and {@code -max_delay} {@value #FFMPEG_TUNED_MAX_DELAY_US},
     * which gives a gap time for two more NACKs: 99.2% to 100%, mean 99.95%, over the same 22 reads (the
     * issue's 99%); the floor leaves room for one unlucky read on a busy machine.
     */
    private static final double FFMPEG_TUNED_FLOOR = 0.97;
    /** ffmpeg's reorder delay for the tuned readers: time for two more NACKs, 200 ms apart. */
    private static final long FFMPEG_TUNED_MAX_DELAY_US = 500_000;

    @Test
    void ffmpegReadersAtThreePercentLossWithAndWithoutNack(SystemTestRun run) {
        Clip clip = TestClips.h264Aac();
        NetworkNamespace ns = run.networkNamespace();
        ns.dropUdpInput(3);
        CompletableFuture<SluiceServerProcess> withNack = CompletableFuture.supplyAsync(
                () -> run.server("sluice-nack", ns.prefix(), serveOptions()));
        SluiceServerProcess withoutNack = run.server("sluice-no-nack", ns.prefix(), serveOptions("--rtsp-nack", "false"));
        SluiceServerProcess nack = withNack.join();

        PeerProcess publisherNack = publish(run, ns, clip, nack, "nack");
        PeerProcess publisherNoNack = publish(run, ns, clip, withoutNack, "no-nack");
        List<Reader> readers = new ArrayList<>();
        awaitRecording(nack, "nack");
        addFfmpegReaders(run, ns, nack.liveUrl("nack"), "sluice-nack", "Sluice, NACK on", readers);
        awaitRecording(withoutNack, "no-nack");
        addFfmpegReaders(run, ns, withoutNack.liveUrl("no-nack"), "sluice-no-nack", "Sluice, --rtsp-nack false", readers);
        readers.forEach(reader -> reader.process.awaitExit());
        publisherNack.awaitExit();
        publisherNoNack.awaitExit();

        List<Measured> measured = new ArrayList<>();
        for (Reader reader : readers) {
            measured.add(Measured.of(clip, reader));
        }
        report(run, 3, ns, measured);
        assertThat(ns.udpCounts().dropped()).as("datagrams nftables dropped").isGreaterThan(10);
        assertEveryNackReaderWasAnswered(nack);
        for (Measured m : measured) {
            assertThat(m.decoded).as(m.reader.name + " decoded frames: the measurement ran").isPositive();
            if (m.reader.name.startsWith("sluice-nack-tuned-")) {
                assertThat(m.frames.share()).as(m.reader.name + ": " + m.frames).isGreaterThanOrEqualTo(FFMPEG_TUNED_FLOOR);
            } else if (m.reader.name.startsWith("sluice-nack-")) {
                assertThat(m.frames.share()).as(m.reader.name + ": " + m.frames).isGreaterThanOrEqualTo(FFMPEG_NACK_FLOOR);
            }
        }
    }

    /**
     * The server's own account of each ffmpeg reader with NACK, from the line it logs when the reader
     * ends: every reader asked for some packets again (at 3% loss of about 300 it loses some) and none
     * was missing from the history. The decoded share alone varies too much from run to run on a loaded
     * machine to tell a broken retransmission from bad luck; this does.
     */
    private static void assertEveryNackReaderWasAnswered(SluiceServerProcess server) {
        assertThat(server.awaitLogLine("stream nack: ended", RECORDING_TIMEOUT)).as("the stream ended").isTrue();
        List<String> ends;
        try {
            ends = Files.readAllLines(server.log()).stream().filter(line -> READER_END.matcher(line).find()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(ends).as("one end line per ffmpeg reader").hasSize(2 * FFMPEG_READERS);
        for (String line : ends) {
            Matcher m = READER_END.matcher(line);
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(2))).as("packets resent to a reader: " + line).isPositive();
            assertThat(Long.parseLong(m.group(3))).as("NACKed packets missing from the history: " + line).isZero();
        }
    }

    /** {@code LiveStream}'s line for a reader that ended: its NACKed, resent and missed counts. */
    private static final Pattern READER_END = Pattern.compile(
            "stream nack: reader \\w+ ended \\(.*?(\\d+) nacked, (\\d+) resent .*?(\\d+) missed");

    /**
     * {@value #FFMPEG_READERS} ffmpeg readers with its defaults ({@code PREFIX-ffmpeg-N}) and as many with
     * {@code -max_delay} {@value #FFMPEG_TUNED_MAX_DELAY_US} ({@code PREFIX-tuned-ffmpeg-N}).
     */
    private static void addFfmpegReaders(SystemTestRun run, NetworkNamespace ns, String url, String prefix, String label,
                                         List<Reader> readers) {
        for (int i = 1; i <= FFMPEG_READERS; i++) {
            readers.add(ffmpegReader(run, ns, prefix + "-ffmpeg-" + i, label,
                    output -> FfmpegCommands.readVideo(url, "udp", FFMPEG_READ_SECONDS, output)));
            readers.add(ffmpegReader(run, ns, prefix + "-tuned-ffmpeg-" + i, label + ", reader -max_delay "
                    + FFMPEG_TUNED_MAX_DELAY_US, output -> FfmpegCommands.readVideo(url, "udp", FFMPEG_TUNED_MAX_DELAY_US,
                    FFMPEG_READ_SECONDS, output)));
        }
    }


    /**
     * {@code floor} is the issue's: what rtspsrc with RTX decodes intact over its whole read, the GOP it
     * joined on included. Sluice sends a GStreamer reader that GOP paced by its RTP timestamps, not in a
     * burst: after a burst, rtpjitterbuffer stamped a resent packet of that GOP far from its neighbours
     * and the rest of the GOP decoded corrupt (3 of 16 runs lost it before). Over the 6 runs measured
     * since: 100% of every read at 5%, 99.6% to 100% at 10%.
     */
    @ParameterizedTest(name = "{0}% loss")
    @CsvSource({"5, 0.995", "10, 0.97"})
    void gstreamerReadersWithRtxFromSluiceAndFromGstreamersServer(int lossPercent, double floor, SystemTestRun run)
            throws InterruptedException {
        Peers.gstLaunch();
        Clip clip = TestClips.h264Aac();
        Clip matroska = TestClips.h264AacMatroska();
        NetworkNamespace ns = run.networkNamespace();
        ns.dropUdpInput(lossPercent);
        CompletableFuture<GstRtspServerPeer> gstServer = CompletableFuture.supplyAsync(() -> run.gstRtspServer(matroska,
                GstRtspServerPeer.H264_AAC_MATROSKA, GstRtspServerPeer.Playback.PER_READER, SERVER_LIFETIME,
                ns.prefix(), GST_SERVER_RETRANSMISSION));
        SluiceServerProcess sluice = run.server("sluice", ns.prefix(), serveOptions());
        GstRtspServerPeer gst = gstServer.join();

        PeerProcess publisher = publish(run, ns, clip, sluice, "cam");
        awaitRecording(sluice, "cam");
        List<Reader> readers = List.of(
                gstReader(run, ns, sluice.liveUrl("cam"), true, "sluice-gst-rtx", "Sluice, RTX"),
                gstReader(run, ns, sluice.liveUrl("cam"), false, "sluice-gst-plain", "Sluice, no retransmission asked"),
                gstReader(run, ns, gst.url(), true, "gstserver-gst-rtx", "GStreamer's server, RTX"),
                gstReader(run, ns, gst.url(), false, "gstserver-gst-plain", "GStreamer's server, no retransmission asked"));
        for (Reader reader : readers) {
            // Each reader's stream ends by itself (BYE, then EOS); one whose BYE was lost is stopped when
            // its whole stream must have arrived.
            long leftNs = reader.process.startNs() + GST_STREAM_END.toNanos() - System.nanoTime();
            reader.process.awaitExit(Duration.ofNanos(Math.max(leftNs, 0)));
            reader.process.interrupt();
        }
        publisher.awaitExit();
        List<PeerProcess> decoders = new ArrayList<>();
        for (Reader reader : readers) {
            reader.process.awaitExit();
            decoders.add(run.peer("decode-" + reader.name, FfmpegCommands.decodeVideo(reader.recording,
                    reader.output.toString()), Duration.ofSeconds(20)));
        }
        decoders.forEach(PeerProcess::awaitSuccess);

        List<Measured> measured = new ArrayList<>();
        for (Reader reader : readers) {
            measured.add(Measured.of(clip, reader));
        }
        report(run, lossPercent, ns, measured);
        assertThat(ns.udpCounts().dropped()).as("datagrams nftables dropped").isGreaterThan(10);
        for (Measured m : measured) {
            // Without retransmission at 10% loss every keyframe may be damaged and nothing decode at all.
            assertThat(m.reader.recording).as(m.reader.name + " recorded the stream: the measurement ran").isNotEmptyFile();
        }
        Measured sluiceRtx = measured.getFirst();
        assertThat(sluiceRtx.frames.share()).as("rtspsrc with RTX from Sluice at " + lossPercent + "% loss: " + sluiceRtx.frames)
                .isGreaterThanOrEqualTo(floor);
    }

    /**
     * {@code serve} options with UDP GSO off. On loopback, one GSO send (a whole frame's packets for
     * one reader) passes the input hook as one packet, so nftables would drop whole frames at a time
     * rather than datagrams; on a real link the segments are separate datagrams, lost one by one, and
     * GStreamer's server, which the numbers are set beside, sends them one by one.
     */
    private static List<String> serveOptions(String... options) {
        List<String> all = new ArrayList<>(List.of("--udp-gso", "false"));
        all.addAll(List.of(options));
        return all;
    }

    /** A reader of the test: its process, its framemd5 output, for GStreamer the recording decoded into it. */
    private record Reader(String name, String label, String peer, PeerProcess process, Path output, Path recording) {
    }

    /**
     * What a reader decoded, and of it what was intact: from the keyframe its stream began at, and without
     * that first GOP.
     */
    private record Measured(Reader reader, int decoded, IntactFrames frames, IntactFrames afterFirstGop) {
        static Measured of(Clip clip, Reader reader) {
            List<String> received = FrameMd5.read(reader.output);
            return new Measured(reader, received.size(), IntactFrames.measure(clip, received),
                    IntactFrames.measureAfterFirstGop(clip, received));
        }
    }

    /** ffmpeg publishes {@code clip} over TCP as live/{@code name}, in real time. */
    private static PeerProcess publish(SystemTestRun run, NetworkNamespace ns, Clip clip, SluiceServerProcess server, String name) {
        StreamKey key = server.createKey(name);
        return run.peer("publisher-" + name, ns.exec(FfmpegCommands.publish(clip, server.publishUrl(key), "tcp")),
                PUBLISHER_DEADLINE);
    }

    /** Returns once the server records live/{@code name}, so that readers join within its first GOP. */
    private static void awaitRecording(SluiceServerProcess server, String name) {
        assertThat(server.awaitLogLine("recording live/" + name, RECORDING_TIMEOUT))
                .as("Sluice records live/" + name + " within " + RECORDING_TIMEOUT.toSeconds() + " s").isTrue();
    }

    /** Runs the ffmpeg reader {@code name}: {@code command} of the framemd5 file it writes. */
    private static Reader ffmpegReader(SystemTestRun run, NetworkNamespace ns, String name, String label,
                                       Function<String, List<String>> command) {
        Path output = run.dir().resolve(name + ".framemd5");
        PeerProcess process = run.peer(name, ns.exec(command.apply(output.toString())), READER_DEADLINE);
        return new Reader(name, label, "ffmpeg, RTSP/UDP", process, output, null);
    }

    private static Reader gstReader(SystemTestRun run, NetworkNamespace ns, String url, boolean retransmission, String name,
                                    String label) {
        Path recording = run.dir().resolve(name + ".h264");
        PeerProcess process = run.peer(name, ns.exec(GstCommands.readH264ToByteStream(url, "udp", retransmission, recording)),
                READER_DEADLINE);
        return new Reader(name, label, "rtspsrc protocols=udp do-retransmission=" + retransmission, process,
                run.dir().resolve(name + ".framemd5"), recording);
    }

    /** Prints one line per reader and appends them to {@code shares.txt} in the test's directory. */
    private static void report(SystemTestRun run, int lossPercent, NetworkNamespace ns, List<Measured> measured) {
        StringBuilder lines = new StringBuilder();
        for (Measured m : measured) {
            lines.append(String.format("%d%% UDP loss | %s | %s | %s | after the first GOP: %s%n", lossPercent, m.reader.label,
                    m.reader.peer, m.frames, m.afterFirstGop));
        }
        lines.append(String.format("%d%% UDP loss | %s%n", lossPercent, ns.udpCounts()));
        System.out.print(lines);
        try {
            Files.writeString(run.dir().resolve("shares.txt"), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
