package io.sluice.bench.vodload;

import io.sluice.bench.common.SluiceServe;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice serve} from the built application, its film library on the benchmark's folder. Rooms close
 * one second after their last viewer leaves ({@code --vod-room-grace 1}), and a closing room logs how many
 * demuxers it opened: that is how the benchmark counts Sluice's file opens.
 */
final class SluiceFilmServer extends FilmServer {

    private static final Pattern ROOM_CLOSED = Pattern.compile("room closed \\((\\d+) demuxers opened");

    private SluiceFilmServer(Path log, int portOffset) {
        super("Sluice", true, SluiceServe.rtspPort(portOffset), log);
    }

    static SluiceFilmServer start(Path dir, Path appTarget, Path media, int portOffset)
            throws IOException, InterruptedException {
        SluiceFilmServer s = new SluiceFilmServer(dir.resolve("sluice.log"), portOffset);
        s.launch(SluiceServe.command(SluiceServe.appClassPath(appTarget), List.of(), portOffset,
                Files.createDirectories(dir.resolve("sluice-data")), media, "info", List.of("--vod-room-grace", "1")),
                dir, 60_000);
        return s;
    }

    @Override
    long demuxersOpened(long logOffset) throws IOException, InterruptedException {
        // The rooms close a second after the last viewer left; give the log a moment more.
        Thread.sleep(3000);
        long sum = 0;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(logOffset);
            byte[] rest = new byte[(int) (f.length() - logOffset)];
            f.readFully(rest);
            Matcher m = ROOM_CLOSED.matcher(new String(rest, StandardCharsets.UTF_8));
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }
}
