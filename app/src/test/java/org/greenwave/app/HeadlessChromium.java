package org.greenwave.app;

import java.io.File;
import java.util.Map;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests, through the {@code chromedriver} on PATH (Debian: {@code chromium},
 * {@code chromium-driver}; {@code ./greenwave test} installs them). The browser's console is recorded, so a test can
 * read {@code driver.manage().logs().get("browser")} for script errors.
 */
public final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /** Starts a browser with a window of {@code width × height} pixels whose scroll bars take no room. */
    public static WebDriver start(int width, int height) {
        return start(width, height, true);
    }

    /**
     * Starts a browser with a window of {@code width × height} pixels.
     *
     * @param hideScrollbars whether scroll bars take no room (screenshots); false lays the page out as a desktop
     *                       browser does, scroll bars taking their width
     */
    public static WebDriver start(int width, int height, boolean hideScrollbars) {
        File browser = onPath("chromium", "chromium-browser");
        File driver = onPath("chromedriver");
        if (browser == null || driver == null) {
            throw new IllegalStateException("the browser tests need Chromium and its driver on PATH "
                    + "(Debian: apt-get install chromium chromium-driver; ./greenwave test installs them)");
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(browser);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height);
        if (hideScrollbars) {
            o.addArguments("--hide-scrollbars");
        }
        o.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    private static File onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String n : names) {
                File f = new File(dir, n);
                if (f.canExecute()) {
                    return f;
                }
            }
        }
        return null;
    }
}
