package io.sluice.bench.vodload;

import io.sluice.bench.common.ChildServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A film server under test, a child process serving the films of one folder at
 * {@code rtsp://127.0.0.1:PORT/vod/NAME}.
 */
abstract class FilmServer extends ChildServer {

    FilmServer(String name, boolean jvm, int rtspPort, Path log) {
        super(name, jvm, rtspPort, log);
    }

    /**
     * Demuxers the server opened for the films since {@code logOffset} bytes of its log, or -1 when it does not
     * say; asked after the viewers left.
     */
    abstract long demuxersOpened(long logOffset) throws IOException, InterruptedException;

    String url(String film) {
        return "rtsp://" + HOST + ":" + rtspPort() + "/vod/" + film;
    }

    long logBytes() throws IOException {
        return Files.size(log);
    }

    /** Bytes the process has passed to read() and pread() so far (/proc/PID/io rchar): its file reads. */
    long readBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "io"))) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring("rchar:".length()).trim());
            }
        }
        throw new IOException("no rchar in /proc/" + pid() + "/io");
    }
}
