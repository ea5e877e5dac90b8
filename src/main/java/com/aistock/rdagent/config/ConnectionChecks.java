package com.aistock.rdagent.config;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.springframework.stereotype.Component;

/**
 * The config center's "test" buttons: can RD-Agent reach its LLM endpoint with the configured key, and does the
 * Qlib data folder hold what a run reads. Neither ever reports the key.
 */
@Component
public class ConnectionChecks {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String DEFAULT_API_BASE = "https://api.openai.com/v1";

    // no redirects: the key must only ever go to the configured host
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** @param status null when no HTTP answer came back */
    public record LlmCheck(boolean reachable, Integer status, long latencyMs, String url, String message) {
    }

    /** One thing a Qlib run reads from the data folder. */
    public record QlibItem(String name, String path, boolean ok) {
    }

    public record QlibCheck(String providerUri, String path, String market, String benchmark, boolean ok,
                            List<QlibItem> checks) {
    }

    /** {@code GET <base>/models} with the key as a bearer token, as an OpenAI-compatible client would. */
    public LlmCheck testLlm(String apiBase, String apiKey) {
        String base = apiBase == null || apiBase.isBlank() ? DEFAULT_API_BASE : apiBase.strip();
        String url = base.replaceAll("/+$", "") + "/models";
        HttpRequest.Builder request;
        try {
            URI uri = new URI(url);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL");
            }
            request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new LlmCheck(false, null, 0, url, "OPENAI_API_BASE is not an http or https URL");
        }
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey.strip());
        }
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        try {
            int status = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return new LlmCheck(true, status, elapsedMillis(started), url, describe(status));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new LlmCheck(false, null, elapsedMillis(started), url, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new LlmCheck(false, null, elapsedMillis(started), url, failure(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LlmCheck(false, null, elapsedMillis(started), url, "interrupted");
        }
    }

    /** Checks the folder {@code qlib.init(provider_uri=…)} would read, with {@code ~} expanded as Python does. */
    public QlibCheck testQlib(String providerUri, String market, String benchmark) {
        Path root = Path.of(providerUri.startsWith("~") ? System.getProperty("user.home") + providerUri.substring(1) : providerUri)
                .toAbsolutePath().normalize();
        Path features = root.resolve("features");
        List<QlibItem> checks = List.of(
                item("provider_uri", root, Files::isDirectory),
                item("calendar", root.resolve("calendars").resolve("day.txt"), Files::isRegularFile),
                item("instruments", root.resolve("instruments").resolve(market + ".txt"), Files::isRegularFile),
                item("features", features, Files::isDirectory),
                item("benchmark", features.resolve(benchmark.toLowerCase(Locale.ROOT)), Files::isDirectory));
        return new QlibCheck(providerUri, root.toString(), market, benchmark, checks.stream().allMatch(QlibItem::ok), checks);
    }

    private static QlibItem item(String name, Path path, Predicate<Path> present) {
        return new QlibItem(name, path.toString(), present.test(path));
    }

    private static String describe(int status) {
        if (status >= 200 && status < 300) {
            return "the endpoint answered HTTP " + status;
        }
        if (status == 401 || status == 403) {
            return "the endpoint refused the key (HTTP " + status + ")";
        }
        if (status == 404) {
            return "the endpoint has no /models (HTTP 404); check OPENAI_API_BASE";
        }
        return "the endpoint answered HTTP " + status;
    }

    private static String failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "no connection within " + TIMEOUT.toSeconds() + " s";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException) {
            return "connection failed: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage());
        }
        return "request failed: " + cause.getClass().getSimpleName();
    }

    private static long elapsedMillis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
