package io.sluice.bench.vodload;

import io.sluice.bench.load.Processes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice serve} from the built application, its film library on the benchmark's folder. Rooms close
 * one second after their last viewer leaves ({@code --vod-room-grace 1}), and a closing room logs how many
 * demuxers it opened: that is how the benchmark counts Sluice's file opens.
 */
final class SluiceFilmServer extends FilmServer {

    private static final Pattern ROOM_CLOSED = Pattern.compile("room closed \\((\\d+) demuxers opened");

    private final int portOffset;

    private SluiceFilmServer(Path log, int portOffset) {
        super(log);
        this.portOffset = portOffset;
    }

    static SluiceFilmServer start(Path dir, Path appTarget, Path media, int portOffset)
            throws IOException, InterruptedException {
        Path jar = appTarget.resolve("sluice-app.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no " + jar + ": build the application first (./mvnw -q -B install -DskipTests)");
        }
        SluiceFilmServer s = new SluiceFilmServer(dir.resolve("sluice.log"), portOffset);
        Files.deleteIfExists(s.log);
        Path data = Files.createDirectories(dir.resolve("sluice-data"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", jar + ":" + appTarget.resolve("lib") + "/*",
                "io.sluice.app.SluiceCommand", "serve", "--bind-address", HOST,
                "--port-offset", Integer.toString(portOffset), "--data-dir", data.toString(),
                "--media-dir", media.toString(), "--vod-room-grace", "1", "--log-level", "info"));
        s.process = Processes.start(cmd, dir, s.log, Map.of());
        s.awaitRtspPort(60_000);
        return s;
    }

    @Override
    String name() {
        return "Sluice";
    }

    @Override
    int rtspPort() {
        return 8554 + portOffset;
    }

    @Override
    boolean isJvm() {
        return true;
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
