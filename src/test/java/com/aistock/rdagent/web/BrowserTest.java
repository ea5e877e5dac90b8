package com.aistock.rdagent.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in Debian's headless Chromium, against the whole service (see {@link IntegrationTest}), signed in
 * through the login form as the admin. One browser per test class; without chromium or chromedriver the class is
 * skipped ({@link RequiredTools}: failed under CI=true).
 */
abstract class BrowserTest extends IntegrationTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(20);

    static ChromeDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        RequiredTools.chromium();
        Path profile = Files.createDirectories(Path.of("target", "chromium", UUID.randomUUID().toString())).toAbsolutePath();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(RequiredTools.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1280,800", "--lang=zh-CN", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(RequiredTools.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        // a page or a script that never finishes fails the test within a minute
        driver.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(1)).scriptTimeout(Duration.ofMinutes(1));
        wait = new WebDriverWait(driver, WAIT);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @BeforeEach
    void signIn() {
        viewport(1280, 800);
        driver.get(url("/rdagent"));
        if (driver.getCurrentUrl().contains("/login")) {
            driver.findElement(By.name("username")).sendKeys("admin");
            driver.findElement(By.name("password")).sendKeys(Api.ADMIN_PASSWORD);
            driver.findElement(By.cssSelector("form.login button[type=submit]")).click();
            wait.until(ExpectedConditions.urlContains("/rdagent"));
        }
        wait.until(d -> !find(".tabs a[aria-selected=true]").getText().isEmpty());
    }

    /** A wait for something slower than a page: a whole run, say. */
    WebDriverWait waitUpTo(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Opens a tab (or a deeper place) of the console by its hash, e.g. "#/monitor/12". */
    void open(String hash) {
        driver.get(url("/rdagent" + hash));
        wait.until(d -> !find(".tabs a[aria-selected=true]").getText().isEmpty());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement await(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    WebElement clickable(String css) {
        return wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
    }

    /** Clicks what css finds, again if a refresh replaced it in between (tables re-render while tasks run). */
    void click(String css) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /** Sets a field's value as typing would, for text too long to type key by key. */
    void setValue(WebElement field, String value) {
        js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", field, value);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The text of the newest toast, once one shows. */
    String awaitToast(String containing) {
        return wait.until(d -> findAll("#toasts .toast").stream().map(WebElement::getText)
                .filter(text -> text.contains(containing)).findFirst().orElse(null));
    }

    /** Presses the named button of the open dialog (the confirmation's action, or a form's submit). */
    void confirm(String label) {
        WebElement button = wait.until(d -> d.findElements(By.cssSelector("dialog[open] footer button")).stream()
                .filter(b -> b.getText().equals(label)).findFirst().orElse(null));
        button.click();
    }

    void awaitNoDialog() {
        wait.until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
    }

    /** The layout area as a user sees it: the viewport, not the window, is what is set. */
    void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** The number of points of each series of the ECharts chart in the element with this id. */
    @SuppressWarnings("unchecked")
    List<Long> seriesLengths(String chart) {
        Object lengths = js("const el = document.getElementById(arguments[0]);"
                + "const chart = window.echarts && el && echarts.getInstanceByDom(el);"
                + "return chart ? chart.getOption().series.map(s => s.data.length) : [];", chart);
        return (List<Long>) lengths;
    }

    /** A screenshot under target/screenshots/, after checking that nothing scrolls sideways. */
    void screenshot(String name, int width, int height) throws IOException {
        viewport(width, height);
        wait.until(d -> ((Number) js("return window.innerWidth")).intValue() == width);
        assertThat(((Number) js("return document.documentElement.scrollWidth")).intValue())
                .as("%s at %dx%d scrolls horizontally", name, width, height)
                .isLessThanOrEqualTo(((Number) js("return window.innerWidth")).intValue());
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + "-" + width + "x" + height + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
