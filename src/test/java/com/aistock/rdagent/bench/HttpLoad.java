package com.aistock.rdagent.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load: {@code clients} threads each send the next GET as soon as the last answer arrived, for a
 * fixed time and at most {@code maxRequests} in all. Loopback only (the service under test).
 */
final class HttpLoad {

    private HttpLoad() {
    }

    record Result(int requests, int failures, double seconds, List<Double> latenciesMillis) {

        double perSecond() {
            return requests / seconds;
        }
    }

    /** @param authorization the Authorization header of every request, or null */
    static Result run(URI uri, String authorization, int clients, Duration duration, int maxRequests)
            throws InterruptedException {
        if (!uri.getHost().equals("localhost") && !uri.getHost().startsWith("127.")) {
            throw new IllegalArgumentException("load goes to this machine only: " + uri);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        long deadline = System.nanoTime() + duration.toNanos();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests) {
                        long start = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        latencies.add((System.nanoTime() - start) / 1e6);
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + c);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(latencies.size(), failures.get(), seconds, List.copyOf(latencies));
    }
}
