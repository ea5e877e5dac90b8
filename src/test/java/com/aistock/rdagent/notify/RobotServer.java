package com.aistock.rdagent.notify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A real local HTTP server standing in for a robot or a webhook receiver: it records every request (path with
 * query, headers, body, arrival) and answers from a script, then with the default answer (a fixed one, or one that
 * depends on the request, as a robot refusing a too long message). A held request is answered only when released;
 * the others are answered meanwhile.
 */
public final class RobotServer implements AutoCloseable {

    public record Received(String path, String query, Map<String, List<String>> headers, String body, Instant at) {

        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** A query parameter, still URL-encoded as it arrived. */
        public String param(String name) {
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<String> script = new ConcurrentLinkedQueue<>();
    private final Queue<CountDownLatch> holds = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    public RobotServer(String defaultAnswer) throws IOException {
        this(request -> defaultAnswer);
    }

    public RobotServer(Function<Received, String> defaultAnswer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received request = new Received(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8), Instant.now());
            received.add(request);
            CountDownLatch hold = holds.poll();
            if (hold != null) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String answer = script.poll();
            byte[] out = (answer == null ? defaultAnswer.apply(request) : answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    /** The next requests get these answers, in order. */
    public RobotServer answerNext(String... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** The next request is answered only once {@code release} is counted down. */
    public RobotServer holdNext(CountDownLatch release) {
        holds.add(release);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
