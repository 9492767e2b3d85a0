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
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

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
    @Test
    void html_openedFromDiskOffline_drawsTheScene(@TempDir Path dir) throws Exception {
        assumeTrue(Browsers.present() || "true".equals(System.getenv("CI")), Browsers.MISSING);
        Path spz = dir.resolve("ball.spz");
        writeBall(spz, 3000);
        Path html = dir.resolve("ball.html");
        StandaloneViewer.write(spz, StandaloneViewer.Kind.SPLAT, "spz", "a <ball>", html);
        String page = Files.readString(html);
        assertTrue(page.contains("<title>a &lt;ball&gt;</title>"));
        assertTrue(!page.contains("src=\"http") && !page.contains("href=\"http"), "no external reference");

        ChromeDriver driver = Browsers.start(Browsers.options("900,700", Files.createDirectories(dir.resolve("profile")),
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--allow-file-access-from-files"));
        try {
            ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
            offline.setOffline(true);
            driver.setNetworkConditions(offline);
            driver.get(html.toUri().toString());
            WebElement viewer = driver.findElement(By.id("viewer"));
            new WebDriverWait(driver, Duration.ofSeconds(90)).until(d -> viewer.getAttribute("data-shown") != null
                    || viewer.getAttribute("data-error") != null);
            assertEquals("scene.spz", viewer.getAttribute("data-shown"), () -> "error: " + viewer.getAttribute("data-error")
                    + "\n" + String.join("\n", Browsers.console(driver)));
            double[] share = new double[1];
            new WebDriverWait(driver, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(300)).until(d -> {
                share[0] = Browsers.drawnShare(driver);
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
