package com.aistock.rdagent.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed answer (server-sent events) read line by line with a read timeout: when no line comes within it, the
 * read fails instead of waiting forever. The request's own timeout only covers the answer's headers.
 */
public final class EventStream implements AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "event-stream-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;
    private final Duration readTimeout;

    private EventStream(HttpResponse<InputStream> response, Duration readTimeout) {
        this.response = response;
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        this.readTimeout = readTimeout;
    }

    /** Sends {@code request} with {@code api}'s client; the answer's lines are then read with {@link #readLine()}. */
    public static EventStream open(Api api, HttpRequest request, Duration readTimeout) throws IOException {
        try {
            return new EventStream(api.client().send(request, HttpResponse.BodyHandlers.ofInputStream()), readTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    /** The next line, or null at the end of the answer; a {@link SocketTimeoutException} when none came in time. */
    public String readLine() throws IOException {
        AtomicBoolean timedOut = new AtomicBoolean();
        // closing the answer's stream is what ends a blocked read of the JDK's client (an interrupt does not)
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            timedOut.set(true);
            response.body().close();
            return null;
        }, readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            String line = reader.readLine();
            if (timedOut.get()) {
                throw new SocketTimeoutException("no line within " + readTimeout);
            }
            return line;
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new SocketTimeoutException("no line within " + readTimeout);
            }
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
