package io.sluice.api.dashboard;

import io.sluice.api.TestNodes;
import io.sluice.api.ServingNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.testing.LoopbackConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser (Debian's headless Chromium driven by its ChromeDriver) while real
 * ffmpeg publishers and a reader run: the stream shows with a non-zero bitrate, the rooms and nodes tables show
 * the streams and this node, the viewer's Kick button ends its session, the stream's Stop button stops it, it
 * disappears. Saves a screenshot in target/; with {@code -Dsluice.docs.screenshot=true} it first lets the
 * chart draw some history and also replaces the one the README shows, docs/dashboard.png, so that an
 * ordinary test run leaves the checkout as it was. Skips when Chromium, ChromeDriver or ffmpeg is missing.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private ChromeDriver browser;
    private ServingNode serving;

    @AfterEach
    void tearDown() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (serving != null) {
            TestNodes.awaitNoStreams(serving.node());
            serving.close();
        }
    }

    @Test
    void showsAPublishedStreamKicksItsViewerAndStopsIt() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no ChromeDriver at " + CHROMEDRIVER + " (apt-get install chromium-driver)");
        assumeTrue(onPath("ffmpeg"), "no ffmpeg on the PATH (apt-get install ffmpeg)");

        NodeConfig.Builder b = LoopbackConfig.builder(dir.resolve("data"));
        serving = ServingNode.start(b.build(), new ServingNode.HttpSettings("127.0.0.1", 0, 65_536, null, true));
        int rtsp = serving.node().rtspPort();

        Path clip = dir.resolve("clip.mp4");
        run("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", clip.toString());
        browser = chromium();
        browser.get("http://127.0.0.1:" + serving.httpPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        // One key through the page's form, one through the API.
        browser.findElement(By.id("live-id")).sendKeys("studio");
        browser.findElement(By.id("create-key")).click();
        wait.until(d -> d.findElement(By.id("key-publish")).getText().contains("?key="));
        String studioUrl = browser.findElement(By.id("key-publish")).getText();
        String studioCode = serving.node().keys().find("studio").orElseThrow().liveCode();
        assertThat(studioUrl).isEqualTo("rtsp://127.0.0.1:" + rtsp + "/live/studio?key=" + studioCode);
        String lobbyCode = serving.node().keys().create("lobby").liveCode();
        for (String url : List.of(studioUrl, "rtsp://127.0.0.1:" + rtsp + "/live/lobby?key=" + lobbyCode)) {
            start("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i", clip.toString(), "-c", "copy",
                    "-f", "rtsp", "-rtsp_transport", "tcp", url);
        }
        wait.until(d -> !d.findElements(By.cssSelector("#streams tr[data-live-id='studio']")).isEmpty()
                && !d.findElements(By.cssSelector("#streams tr[data-live-id='lobby']")).isEmpty());
        start("ffmpeg", "-hide_banner", "-loglevel", "error", "-rtsp_transport", "udp", "-timeout", "10000000",
                "-i", "rtsp://127.0.0.1:" + rtsp + "/live/studio", "-t", "30", "-f", "null", "-");

        // The tables are redrawn every second: read them through the page, not through held elements.
        wait.until(d -> number(cell("studio", "bitrate", "bps")) > 0);
        wait.until(d -> number(cell("studio", "readers", "text")) == 1);
        assertThat(number(cell("studio", "bitrate", "bps"))).isGreaterThan(10_000);
        assertThat(browser.findElement(By.id("feed-text")).getText()).isEqualTo("live");
        wait.until(d -> number(script("return document.querySelectorAll('#sessions tbody tr').length")) == 3);
        // Nodes and rooms: this node alone, with a room per stream and the viewer of studio in it.
        wait.until(d -> number(script("const c = document.querySelector(\"#rooms tr[data-room='live/studio'] "
                + "td[data-field='viewers']\"); return c == null ? null : c.textContent")) == 1);
        assertThat(script("return document.querySelectorAll('#rooms tbody tr').length")).isEqualTo(2L);
        assertThat(script("return document.querySelector(\"#nodes tr[data-node='local'] .badge.self\").textContent"))
                .isEqualTo("this node");

        saveScreenshot();

        // Kick the viewer: its session goes, the stream and its publisher stay.
        String viewer = serving.node().rtspSessions().stream()
                .filter(s -> s.role().equals("reader") && s.path().equals("studio"))
                .findFirst().orElseThrow().id();
        By kick = By.cssSelector("#sessions button.kick[data-session-id='" + viewer + "']");
        wait.until(d -> clicked(kick));
        wait.until(d -> "Confirm kick".equals(script("return document.querySelector(\"#sessions button.kick[data-session-id='"
                + viewer + "']\").textContent")));
        wait.until(d -> clicked(kick));
        wait.until(d -> ("Kicked session " + viewer.substring(0, 8)).equals(d.findElement(By.id("toast")).getText()));
        wait.until(d -> d.findElements(By.cssSelector("#sessions tr[data-session-id='" + viewer + "']")).isEmpty());
        wait.until(d -> number(cell("studio", "readers", "text")) == 0);
        assertThat(serving.node().rtspSessions()).noneMatch(s -> s.id().equals(viewer));
        assertThat(script("return document.querySelectorAll('#sessions tbody tr').length")).isEqualTo(2L);

        By stop = By.cssSelector("#streams button.stop[data-live-id='studio']");
        wait.until(d -> clicked(stop));
        wait.until(d -> "Confirm stop".equals(script("return document.querySelector(\"#streams button.stop[data-live-id='studio']\").textContent")));
        wait.until(d -> clicked(stop));
        wait.until(d -> d.findElements(By.cssSelector("#streams tr[data-live-id='studio']")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#streams tr[data-live-id='lobby']"))).hasSize(1);
        assertThat(serving.node().paths().find("studio")).isNull();
        assertThat(browser.findElement(By.id("toast")).getText()).isEqualTo("Stopped studio");
    }

    private Object script(String js) {
        return browser.executeScript(js);
    }

    /** A stream row's cell: its data-bps attribute or its text. */
    private Object cell(String liveId, String field, String what) {
        String q = "#streams tr[data-live-id='" + liveId + "'] td[data-field='" + field + "']";
        return script("const c = document.querySelector(\"" + q + "\"); return c == null ? null : "
                + (what.equals("bps") ? "c.dataset.bps" : "c.textContent"));
    }

    private static long number(Object value) {
        return value == null ? -1 : Long.parseLong(value.toString().trim());
    }

    /** Clicks what {@code by} finds now; false when a redraw replaced it between finding and clicking. */
    private boolean clicked(By by) {
        try {
            WebElement e = browser.findElement(by);
            e.click();
            return true;
        } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
            return false;
        }
    }

    private static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1440,1240", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private void start(String... command) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ffmpeg-" + processes.size() + ".log").toFile()).start());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private void saveScreenshot() throws Exception {
        boolean forDocs = Boolean.getBoolean("sluice.docs.screenshot");
        if (forDocs) {
            Thread.sleep(8000); // let the chart draw some history for the picture
        }
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path module = Path.of(System.getProperty("user.dir"));
        Path target = module.resolve("target");
        Files.createDirectories(target);
        Files.copy(png, target.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        if (forDocs) {
            Path docs = module.resolveSibling("docs");
            Files.copy(png, docs.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(docs.resolve("dashboard.png"), PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
