package dev.vsa.server.web;

import dev.vsa.server.TestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web app in a real browser: Debian's headless Chromium with WebGL on its software renderer (SwiftShader),
 * driven by Selenium through the system's chromedriver (no driver or browser download: Selenium Manager is never
 * asked, both paths are given). One journey as a person makes it: sign up, upload a splat capture and a two-file
 * glTF, watch both reach ready, open each scene and read the viewer's pixels back, download an output, open the
 * API docs, sign out. Screenshots of each page go to {@code vsa.screenshots} (default target/screenshots).
 * Without a browser it skips, except in CI ({@code CI=true}) where it must run.
 */
class WebAppBrowserTest {
    private static TestStack stack;
    private static WebDriver driver;
    private static Path downloads;
    private static Path userData;
    private static Path shots;
    private static long T0;

    @BeforeAll
    static void startBrowser() throws Exception {
        boolean present = Browsers.present();
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + Browsers.CHROMIUM + " or " + Browsers.CHROMEDRIVER
                    + " is missing: .ci/run installs chromium and chromium-driver");
        }
        if (!present) {
            return; // each test then skips, naming what is missing (an abort here would hide the reason)
        }
        stack = TestStack.shared();
        downloads = Files.createTempDirectory("vsa-browser-downloads-");
        userData = Files.createTempDirectory("vsa-browser-profile-");
        shots = Files.createDirectories(Path.of(System.getProperty("vsa.screenshots", "target/screenshots")));

        ChromeOptions options = Browsers.options("1280,900", userData);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        driver = Browsers.start(options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        for (Path p : new Path[]{downloads, userData}) {
            if (p != null) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    void journey_signUpUploadWatchViewDownload(TestInfo info) throws Exception {
        assumeTrue(driver != null, Browsers.MISSING);
        List<String> console = new ArrayList<>();
        try {
            journey(console);
        } catch (AssertionError | RuntimeException e) {
            shot("failure");
            console.addAll(browserLog());
            throw new AssertionError(e.getMessage() + "\nbrowser console:\n" + String.join("\n", console), e);
        }
    }

    private void journey(List<String> console) throws Exception {
        T0 = System.nanoTime();
        String name = TestStack.newName("web");
        // -- sign up (and so signed in)
        driver.get(page("/#/signup"));
        waitFor(By.id("username")).sendKeys(name);
        driver.findElement(By.id("email")).sendKeys(name + "@example.com");
        driver.findElement(By.id("password")).sendKeys("correct horse " + name);
        shot("signup");
        step("signed up");
        driver.findElement(By.id("submit")).click();
        waitFor(By.id("dropzone"));
        Map<String, String> cookies = new HashMap<>();
        driver.manage().getCookies().forEach(c -> cookies.put(c.getName(), c.isHttpOnly() + "/" + c.getSameSite()));
        assertEquals("true/Strict", cookies.get("vsa_access"), "the access token is an HttpOnly SameSite cookie");
        assertEquals("false/Strict", cookies.get("vsa_csrf"));
        assertEquals(Boolean.FALSE, js("return document.cookie.includes('vsa_access')"), "scripts cannot read the token");

        // -- upload: a splat capture and a .gltf with its .bin, in one pick (two scenes)
        Path dir = Files.createTempDirectory("vsa-browser-upload-");
        Path splat = dir.resolve("guitar.compressed.ply");
        Files.copy(Path.of("../core/src/test/resources/splats/guitar.compressed.ply"), splat);
        Path gltf = dir.resolve("Box.gltf");
        Files.write(gltf, TestStack.resource("Box.gltf"));
        Path bin = dir.resolve("Box0.bin");
        Files.write(bin, TestStack.resource("Box0.bin"));
        driver.findElement(By.id("file-input")).sendKeys(splat + "\n" + gltf + "\n" + bin);
        // ... and a third file dropped on the drop zone (a drop event carrying a file, as a drag from the desktop)
        js("""
                const n = 400, b = new DataView(new ArrayBuffer(32 * n));
                for (let i = 0; i < n; i++) {
                  const t = i / n * Math.PI * 2, o = i * 32;
                  b.setFloat32(o, Math.cos(t), true); b.setFloat32(o + 4, Math.sin(t), true); b.setFloat32(o + 8, 0, true);
                  for (let k = 12; k < 24; k += 4) b.setFloat32(o + k, 0.05, true);
                  b.setUint8(o + 24, 255); b.setUint8(o + 25, 128 + 127 * Math.sin(t)); b.setUint8(o + 26, 64); b.setUint8(o + 27, 230);
                  b.setUint8(o + 28, 255); b.setUint8(o + 29, 128); b.setUint8(o + 30, 128); b.setUint8(o + 31, 128);
                }
                const dt = new DataTransfer();
                dt.items.add(new File([b.buffer], 'dropped-ring.splat'));
                document.getElementById('dropzone').dispatchEvent(
                    new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));""");

        // -- all three reach ready, live (the cards follow the jobs' event streams; no reload)
        new WebDriverWait(driver, Duration.ofSeconds(90)).until(d ->
                d.findElements(By.cssSelector("#scenes .badge[data-status=ready]")).size() == 3);
        assertEquals(3, driver.findElements(By.cssSelector("#uploads progress[value='100']")).size(), "progress bars full");
        for (WebElement img : driver.findElements(By.cssSelector("#scenes .thumb img"))) {
            // a thumbnail output exists for this scene: it must load (not a broken image)
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
                    ((Number) js("return arguments[0].complete ? arguments[0].naturalWidth : 0", img)).intValue() > 0);
        }
        shot("scenes");
        step("all three scenes ready");

        // -- the splat scene: the viewer draws something
        String splatScene = cardId("guitar.compressed.ply");
        startCountingRequests();
        driver.findElement(By.cssSelector("a[data-scene='" + splatScene + "']")).click();
        assertViewerDraws();
        // The upload made an SPZ 4 scene.spz (the default), which the bundled Spark cannot read: the page loads the
        // SPZ 3 viewer.spz made for it, and neither the v4 nor the original (it downloaded the whole upload before)
        assertViewerLoadedOnly("viewer.spz", "scene.spz", "guitar.compressed.ply");
        assertTrue(driver.findElement(By.id("metadata")).getText().contains("Splats"), "metadata shown");
        assertEquals("spz, glb, preview", driver.findElement(By.id("processing-options")).getText(), "processing options shown");
        assertTrue(driver.findElement(By.id("validation")).getText().toLowerCase().contains("valid"));
        step("splat viewer drew");
        // The order the viewer tries a scene's files in: outputs smallest first, the upload last (it fetched a 1 MB
        // demo.ply whole though its 66 KB scene.spz was there; a capture of hundreds of MB would come whole too).
        Object order = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const f = (name, kind, size) => ({ name, kind, size, url: '/x/' + name });
                import('/app/viewer.js').then((m) => done(m.viewable({ filename: 'demo.ply', metadata: { kind: 'splat' },
                    files: [f('original/demo.ply', 'original', 1062000), f('scene.ply', 'output', 900000),
                      f('scene.glb', 'output', 120000), f('scene.spz', 'output', 66000), f('validation.json', 'report', 900)] })
                  .map((c) => c.file.name + ':' + c.type).join(' ')), (e) => done('failed: ' + e));""");
        assertEquals("scene.spz:spz scene.ply:ply original/demo.ply:ply", order);
        waitFor(By.id("share")).click();
        String shareLink = waitFor(By.id("share-link")).getAttribute("href");
        assertTrue(shareLink.contains("/#/share/"), shareLink);
        step("share link made for the splat scene");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1250)); // the whole page
        shot("scene-splat");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        // -- request a conversion: its job is followed live, then the new output is listed with a download button
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("convert-to"))).selectByValue("splat");
        driver.findElement(By.id("convert")).click();
        waitFor(By.cssSelector("a[data-file='scene.splat']"));
        step("converted to .splat");

        // -- the glTF scene: viewer, then download its .glb output with the button
        driver.get(page("/#/"));
        String meshScene = cardId("Box.gltf");
        driver.findElement(By.cssSelector("a[data-scene='" + meshScene + "']")).click();
        assertViewerDraws();
        shot("scene-gltf");
        step("glTF viewer drew");
        WebElement download = waitFor(By.cssSelector("a[data-file='scene.glb']"));
        download.click();
        Path got = downloads.resolve("scene.glb");
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> Files.exists(got));
        byte[] glb = Files.readAllBytes(got);
        step("downloaded scene.glb");
        assertTrue(glb.length > 12 && glb[0] == 'g' && glb[1] == 'l' && glb[2] == 'T' && glb[3] == 'F',
                "the download is the GLB (" + glb.length + " bytes)");

        // -- delete the glTF scene (after the browser's confirm): the list no longer has it
        driver.findElement(By.id("delete")).click();
        driver.switchTo().alert().accept();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d ->
                d.findElements(By.cssSelector("#scenes a.card")).size() == 2
                        && d.findElements(By.cssSelector("a[data-scene='" + meshScene + "']")).isEmpty());
        step("deleted the glTF scene");

        // -- API docs (Swagger UI from its webjar)
        driver.get(page("/docs"));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d ->
                d.findElements(By.cssSelector(".swagger-ui .opblock")).size() > 10);
        shot("docs");
        step("docs");

        // -- sign out: the session ends, the page asks to sign in
        driver.get(page("/#/"));
        waitFor(By.id("signout")).click();
        waitFor(By.id("submit"));
        shot("signin");
        step("signed out");
        assertEquals(Boolean.FALSE, js("return document.cookie.includes('vsa_csrf')"), "cookies cleared");

        // -- the share link opens the splat scene read-only for someone signed out
        driver.get(shareLink);
        assertViewerDraws();
        assertTrue(driver.findElement(By.cssSelector("main")).getText().contains("Shared read-only"));
        shot("share");
        step("shared scene shown signed out");

        List<String> logs = browserLog();
        console.addAll(logs);
        assertTrue(logs.stream().noneMatch(l -> l.contains("Content Security Policy")), "no CSP violation: " + logs);
    }

    /**
     * A scene that failed validation says in the viewer what is wrong with it (it said "nothing to show yet"), and a
     * link to a scene that does not exist says so instead of a bare "not found".
     */
    @Test
    void invalidAndUnknownScenes_sayWhatIsWrong() throws Exception {
        assumeTrue(driver != null, Browsers.MISSING);
        try {
            signUpAfresh("webbad");
            Path broken = Files.createTempDirectory("vsa-browser-broken-").resolve("broken.splat");
            Files.write(broken, java.util.Arrays.copyOf(TestStack.splat(4, 9), 100)); // 3 splats and 4 bytes over
            driver.findElement(By.id("file-input")).sendKeys(broken.toString());
            new WebDriverWait(driver, Duration.ofSeconds(90)).until(d ->
                    d.findElements(By.cssSelector("#scenes .badge[data-status=invalid]")).size() == 1);
            driver.findElement(By.cssSelector("a[data-scene='" + cardId("broken.splat") + "']")).click();
            WebElement viewer = waitFor(By.id("viewer"));
            new WebDriverWait(driver, Duration.ofSeconds(40)).until(d -> viewer.getAttribute("data-shown") != null);
            String said = driver.findElement(By.id("viewer-status")).getText();
            assertTrue(said.contains("invalid") && said.contains("SPLAT_BAD_LENGTH"), said);

            driver.get(page("/#/scenes/00000000-0000-0000-0000-000000000000"));
            String missing = waitFor(By.id("scene-error")).getText();
            assertTrue(missing.contains("no scene 00000000-0000-0000-0000-000000000000"), missing);
            driver.get(page("/#/scenes/not-a-scene"));
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(d ->
                    d.findElement(By.id("scene-error")).getText().contains("no scene not-a-scene"));
        } catch (AssertionError | RuntimeException e) {
            shot("failure-invalid");
            throw new AssertionError(e.getMessage() + "\nbrowser console:\n" + String.join("\n", browserLog()), e);
        }
    }

    /**
     * SOG and LOD-set uploads (a .sog; a zip of lod-meta.json and its units) are shown from the SPZ 3 made for the
     * viewer, not from their originals (a LOD set's units are many files the page cannot hand Spark as one).
     */
    @Test
    void sogAndLodUploads_shownFromTheViewersSpz() throws Exception {
        assumeTrue(driver != null, Browsers.MISSING);
        try {
            T0 = System.nanoTime();
            signUpAfresh("webformats");
            Path dir = Files.createTempDirectory("vsa-browser-formats-");
            // (a .sog zip with deflated entries: splat-transform's stored ones with data descriptors are refused)
            Path sog = zipOf(Path.of("../core/src/test/resources/splats/sog/st-2k-sh1"), dir.resolve("st-2k-sh1.sog"));
            Path lod = zipOf(Path.of("../core/src/test/resources/splats/lod/st-2lv-sh1"), dir.resolve("st-2lv-sh1.zip"));
            driver.findElement(By.id("file-input")).sendKeys(sog + "\n" + lod);
            new WebDriverWait(driver, Duration.ofSeconds(120)).until(d ->
                    d.findElements(By.cssSelector("#scenes .badge[data-status=ready]")).size() == 2);
            for (String card : List.of("meta.json", "lod-meta.json")) { // a card names the main file unpacked
                driver.get(page("/#/"));
                String id = cardId(card);
                startCountingRequests();
                driver.findElement(By.cssSelector("a[data-scene='" + id + "']")).click();
                assertViewerDraws();
                assertViewerLoadedOnly("viewer.spz", "scene.spz", "original");
                shot("scene-" + card);
                step("viewer drew " + card);
            }
        } catch (AssertionError | RuntimeException e) {
            shot("failure-formats");
            throw new AssertionError(e.getMessage() + "\nbrowser console:\n" + String.join("\n", browserLog()), e);
        }
    }

    /** A zip at {@code zip} of the files under {@code dir} (scripts left out), named relative to it. */
    private static Path zipOf(Path dir, Path zip) throws java.io.IOException {
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip));
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> Files.isRegularFile(f) && !f.toString().endsWith(".py")).sorted().toList()) {
                z.putNextEntry(new java.util.zip.ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
        return zip;
    }

    /** Signs a new account up in a fresh page (no cookies or state of another test), leaving it on the scene list. */
    private static void signUpAfresh(String prefix) {
        driver.get(page("/"));
        driver.manage().deleteAllCookies();
        driver.get("about:blank");
        String name = TestStack.newName(prefix);
        driver.get(page("/#/signup"));
        waitFor(By.id("username")).sendKeys(name);
        driver.findElement(By.id("email")).sendKeys(name + "@example.com");
        driver.findElement(By.id("password")).sendKeys("correct horse " + name);
        driver.findElement(By.id("submit")).click();
        waitFor(By.id("dropzone"));
    }

    /** Forgets the requests the page made so far (the browser's resource timings), keeping room for all that follow. */
    private static void startCountingRequests() {
        js("performance.setResourceTimingBufferSize(100000); performance.clearResourceTimings();");
    }

    /**
     * Since {@link #startCountingRequests()}: the viewer shows {@code shown} and the page fetched it, fetched no URL
     * containing any of {@code notFetched}, and nothing off its own origin (the page works offline).
     */
    private static void assertViewerLoadedOnly(String shown, String... notFetched) {
        assertEquals(shown, driver.findElement(By.id("viewer")).getAttribute("data-shown"));
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) js("return performance.getEntriesByType('resource').map((e) => e.name)");
        String origin = (String) js("return location.origin");
        assertTrue(urls.stream().anyMatch(u -> u.contains("/files/" + shown)), "fetched " + shown + ": " + urls);
        for (String u : urls) {
            for (String n : notFetched) {
                assertTrue(!u.contains(n), "fetched " + u + ": " + urls);
            }
            assertTrue(u.startsWith(origin + "/") || u.startsWith("blob:") || u.startsWith("data:"),
                    "only its own origin: " + u);
        }
    }

    /** Waits for the viewer to show a file, then reads its pixels back: more than 1% must differ from the clear colour. */
    private void assertViewerDraws() {
        WebElement viewer = waitFor(By.id("viewer"));
        // Generous: on a 2-core machine at load 30 the viewer's bundle alone took 40 s to load (a failure only costs time).
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> viewer.getAttribute("data-shown") != null);
        assertTrue(!viewer.getAttribute("data-shown").isEmpty(),
                "the viewer shows a file: " + driver.findElement(By.id("viewer-status")).getText());
        double[] share = new double[1];
        // Splats arrive after their first sort: poll the picture for a few seconds.
        // A readback that times out (software WebGL on a loaded machine) is tried again within the wait.
        new WebDriverWait(driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(300))
                .ignoring(org.openqa.selenium.ScriptTimeoutException.class).until(d -> {
            share[0] = Browsers.drawnShare(driver);
            return share[0] > 0.01;
        });
        assertTrue(share[0] > 0.01, "canvas not blank: " + share[0]);
        browserLog().stream().filter(l -> l.contains("viewer:")).forEach(System.out::println);
    }

    /**
     * {@code path} on the server as a person opens it: at {@code localhost}, as the README says, while the API's
     * links (file, thumbnail and scene URLs) name the bind address {@code 127.0.0.1}, another origin for the page's
     * Content Security Policy and its cookies. The page must work whichever name it was opened by.
     */
    private static String page(String path) {
        String url = stack.url(path);
        assertTrue(url.startsWith("http://127.0.0.1:"), url);
        return url.replace("http://127.0.0.1:", "http://localhost:");
    }

    /** The scene id of the list's card for {@code filename} (waiting for the list to load). */
    private String cardId(String filename) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            for (WebElement card : d.findElements(By.cssSelector("#scenes a.card"))) {
                if (card.findElement(By.cssSelector(".name")).getText().equals(filename)) {
                    return card.getAttribute("data-scene");
                }
            }
            return null;
        });
    }

    private static void step(String what) {
        System.out.printf("browser journey: %-28s %6d ms%n", what, (System.nanoTime() - T0) / 1_000_000);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            List<WebElement> e = d.findElements(by);
            return e.isEmpty() || !e.get(0).isDisplayed() && !by.toString().contains("file-input") ? null : e.get(0);
        });
    }

    private static void shot(String name) {
        try {
            Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (Exception e) {
            System.err.println("screenshot " + name + ": " + e);
        }
    }

    private static List<String> browserLog() {
        return Browsers.console(driver);
    }
}
