package io.sluice.bench.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice serve} as the load generators start it in a child JVM, on {@link ChildServer#HOST} with
 * every port shifted by a port offset, and the stream keys they ask it for.
 */
public final class SluiceServe {

    private static final int RTSP_PORT = 8554;
    private static final int HTTP_PORT = 8080;
    private static final Pattern LIVE_CODE = Pattern.compile("\"liveCode\"\\s*:\\s*\"([^\"]+)\"");

    private SluiceServe() {
    }

    /**
     * The class path of the built application as {@code ./sluice} runs it: {@code sluice-app.jar} and
     * {@code lib/*} of {@code appTarget}.
     */
    public static String appClassPath(Path appTarget) throws IOException {
        Path jar = appTarget.resolve("sluice-app.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no " + jar + ": build the application first (./mvnw -q -B install -DskipTests)");
        }
        return jar + ":" + appTarget.resolve("lib") + "/*";
    }

    /**
     * The command line: this JVM's {@code java} with {@code jvmOptions}, then {@code serve} with the
     * given folders and log level, then {@code serveOptions}.
     */
    public static List<String> command(String classPath, List<String> jvmOptions, int portOffset, Path dataDir,
                                       Path mediaDir, String logLevel, List<String> serveOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, "io.sluice.app.SluiceCommand", "serve",
                "--bind-address", ChildServer.HOST, "--port-offset", Integer.toString(portOffset),
                "--data-dir", dataDir.toString(), "--media-dir", mediaDir.toString(), "--log-level", logLevel));
        cmd.addAll(serveOptions);
        return cmd;
    }

    public static int rtspPort(int portOffset) {
        return RTSP_PORT + portOffset;
    }

    public static int httpPort(int portOffset) {
        return HTTP_PORT + portOffset;
    }

    /** A publish key for {@code liveId} from {@code POST /api/v1/streams}. */
    public static String createKey(int portOffset, String liveId) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://" + ChildServer.HOST + ":" + httpPort(portOffset)
                        + "/api/v1/streams"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"liveId\":\"" + liveId + "\"}"))
                .build();
        try {
            HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
            Matcher m = LIVE_CODE.matcher(r.body());
            if (r.statusCode() / 100 != 2 || !m.find()) {
                throw new IOException("POST /api/v1/streams answered " + r.statusCode() + " " + r.body());
            }
            return m.group(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the stream key", e);
        }
    }
}
