package com.aistock.rdagent.dataset;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Dataset helpers shared by the dataset and console tests: both upload forms of POST /datasets/upload-instruments. */
public final class Datasets {

    static final String UPLOAD = "/api/rdagent/datasets/upload-instruments";

    private Datasets() {
    }

    public static Api.Response uploadText(Api api, String name, byte[] content) {
        return api.send(api.request(UPLOAD + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    public static Api.Response uploadMultipart(Api api, String name, String fileName, byte[] content) {
        String boundary = "----rdagent" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.send(api.request(UPLOAD)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** Uploads {@code content} as a new dataset (or a new version of the one named so) and returns it. */
    public static JsonNode create(Api api, String name, String content) {
        Api.Response response = uploadText(api, name, content.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    /** The dataset {@code name} with {@code content}: uploaded, or the same one again when it is already there. */
    public static JsonNode pool(Api api, String name, String content) {
        Api.Response response = uploadText(api, name, content.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isIn(200, 201);
        return response.json();
    }

    /**
     * A pool of twelve names whose demo numbers the tests know: with {@code RDAGENT_SIM_SEED=225} the simulator
     * accepts loops 0 and 1 and rejects loops 2 and 3, loop 3 having the best backtest of the four. The numbers are
     * a function of the pool's market (made once from its name) and symbols, so no default dataset another test sets
     * can change them.
     */
    public static long knownPool(Api api) {
        return pool(api, "loop_results", "SH600000\nSH600009\nSH600016\nSH600028\nSH600030\nSH600036\n"
                + "SH600048\nSH600050\nSH600104\nSH600519\nSZ000001\nSZ000002\n").path("id").asLong();
    }

    /** Where a version's normalised file is kept: {@code data/datasets/<market>.v<version>.txt}. */
    public static Path file(Path base, JsonNode dataset) {
        return base.resolve("data/datasets/" + dataset.path("market").asText() + ".v" + dataset.path("version").asInt() + ".txt");
    }
}
