package dev.vsa.server.web;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

/** What the browser tests share: the headless Chromium they drive, and how they read its canvas and console. */
final class Browsers {
    static final Path CHROMIUM = Path.of(System.getProperty("vsa.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("vsa.chromedriver", "/usr/bin/chromedriver"));
    /** The viewer's clear colour (0xRRGGBB). */
    static final int BACKGROUND = 0x20242c;
    /** Why a browser test skips where there is none. */
    static final String MISSING = "no headless browser here (" + CHROMIUM + ", " + CHROMEDRIVER
            + "): apt-get install chromium chromium-driver to run the browser tests";

    private Browsers() {
    }

    static boolean present() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Headless Chromium drawing WebGL in software, with nothing of its own going to the network, its console kept,
     * {@code extra} arguments after these.
     */
    static ChromeOptions options(String windowSize, Path userData, String... extra) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--window-size=" + windowSize, "--force-device-scale-factor=1", "--user-data-dir=" + userData);
        options.addArguments(extra);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        return options;
    }

    static ChromeDriver start(ChromeOptions options) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The share (0..1) of the viewer canvas's pixels that differ from {@link #BACKGROUND}: 0 while it is blank. */
    static double drawnShare(WebDriver driver) {
        return ((Number) ((JavascriptExecutor) driver).executeScript("""
                const c = document.querySelector('canvas[data-viewer]');
                const t = document.createElement('canvas'); t.width = c.width; t.height = c.height;
                const g = t.getContext('2d'); g.drawImage(c, 0, 0);
                const p = g.getImageData(0, 0, t.width, t.height).data; let n = 0;
                const br = arguments[0] >> 16 & 255, bg = arguments[0] >> 8 & 255, bb = arguments[0] & 255;
                for (let i = 0; i < p.length; i += 4) {
                  if (Math.abs(p[i] - br) + Math.abs(p[i + 1] - bg) + Math.abs(p[i + 2] - bb) > 24) n++;
                }
                return n / (p.length / 4);""", BACKGROUND)).doubleValue();
    }

    /** The browser console since the last call, a line an entry (for failure messages). */
    static List<String> console(WebDriver driver) {
        List<String> out = new ArrayList<>();
        try {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                out.add(e.getLevel() + " " + e.getMessage());
            }
        } catch (RuntimeException e) {
            out.add("(no browser log: " + e + ")");
        }
        return out;
    }
}
