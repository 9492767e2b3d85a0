package dev.vsa.server.web;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.server.StandaloneViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The single-file viewer page ({@link StandaloneViewer}, {@code vsa convert x.ply x.html}) opened from disk in headless
 * Chromium with the network off (emulated offline, and a dead proxy for anything that would still try): it shows the
 * scene (more than 1% of the canvas differs from the clear colour) and loads nothing but data: and blob: URLs.
 * Skips without a browser, as {@link WebAppBrowserTest} does.
 */
class StandaloneViewerBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("vsa.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("vsa.chromedriver", "/usr/bin/chromedriver"));
    private static final int BACKGROUND = 0x20242c;

    @Test
    void html_openedFromDiskOffline_drawsTheScene(@TempDir Path dir) throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        assumeTrue(present || "true".equals(System.getenv("CI")), "no headless browser here (" + CHROMIUM + ", "
                + CHROMEDRIVER + "): apt-get install chromium chromium-driver to run the browser tests");
        Path spz = dir.resolve("ball.spz");
        writeBall(spz, 3000);
        Path html = dir.resolve("ball.html");
        StandaloneViewer.write(spz, StandaloneViewer.Kind.SPLAT, "spz", "a <ball>", html);
        String page = Files.readString(html);
        assertTrue(page.contains("<title>a &lt;ball&gt;</title>"));
        assertTrue(!page.contains("src=\"http") && !page.contains("href=\"http"), "no external reference");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--window-size=900,700", "--force-device-scale-factor=1",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--allow-file-access-from-files", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
            offline.setOffline(true);
            driver.setNetworkConditions(offline);
            driver.get(html.toUri().toString());
            WebElement viewer = driver.findElement(By.id("viewer"));
            new WebDriverWait(driver, Duration.ofSeconds(90)).until(d -> viewer.getAttribute("data-shown") != null
                    || viewer.getAttribute("data-error") != null);
            assertEquals("scene.spz", viewer.getAttribute("data-shown"), () -> "error: " + viewer.getAttribute("data-error")
                    + "\n" + console(driver));
            double[] share = new double[1];
            new WebDriverWait(driver, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(300)).until(d -> {
                share[0] = ((Number) ((JavascriptExecutor) driver).executeScript("""
                        const c = document.querySelector('canvas[data-viewer]');
                        const t = document.createElement('canvas'); t.width = c.width; t.height = c.height;
                        const g = t.getContext('2d'); g.drawImage(c, 0, 0);
                        const p = g.getImageData(0, 0, t.width, t.height).data; let n = 0;
                        const br = arguments[0] >> 16 & 255, bg = arguments[0] >> 8 & 255, bb = arguments[0] & 255;
                        for (let i = 0; i < p.length; i += 4) {
                          if (Math.abs(p[i] - br) + Math.abs(p[i + 1] - bg) + Math.abs(p[i + 2] - bb) > 24) n++;
                        }
                        return n / (p.length / 4);""", BACKGROUND)).doubleValue();
                return share[0] > 0.01;
            });
            assertTrue(share[0] > 0.01, "canvas not blank: " + share[0]);
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) ((JavascriptExecutor) driver).executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name)"
                            + ".filter(n => !n.startsWith('data:') && !n.startsWith('blob:'))");
            assertEquals(List.of(), fetched, "the page loads nothing from outside itself");
        } finally {
            driver.quit();
        }
    }

    private static String console(ChromeDriver driver) {
        StringBuilder sb = new StringBuilder();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            sb.append(e.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** A ball of opaque, colourful splats (SPZ v3: the gzip version the viewer's Spark reads). */
    private static void writeBall(Path out, int n) throws Exception {
        SplatLayout layout = SplatLayout.of(0);
        SplatBatch b = new SplatBatch(layout, n);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian(), y = r.nextGaussian(), z = r.nextGaussian();
            double len = Math.sqrt(x * x + y * y + z * z);
            b.set(i, SplatLayout.X, (float) (x / len));
            b.set(i, SplatLayout.Y, (float) (y / len));
            b.set(i, SplatLayout.Z, (float) (z / len));
            for (int k = 0; k < 3; k++) {
                b.set(i, SplatLayout.SCALE_0 + k, (float) Math.log(0.06));
                b.set(i, SplatLayout.DC_0 + k, (float) ((r.nextDouble() - 0.5) / 0.28209479 * 1.8));
            }
            b.set(i, SplatLayout.ROT_W, 1f);
            b.set(i, SplatLayout.OPACITY, 4f);
        }
        b.setSize(n);
        try (SplatWriter w = Splats.create(out, SplatFormat.SPZ, layout, new WriteOptions(3))) {
            w.write(b);
            w.finish();
        }
    }
}
