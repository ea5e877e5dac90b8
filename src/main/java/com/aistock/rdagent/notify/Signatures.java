package com.aistock.rdagent.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.aistock.rdagent.system.Hashes;

/** The signatures robots check, as each documents it. */
final class Signatures {

    private Signatures() {
    }

    /** DingTalk: Base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)), URL-encoded for the query. */
    static String dingTalk(String secret, long timestampMillis) {
        byte[] mac = Hashes.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                (timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
        return URLEncoder.encode(Base64.getEncoder().encodeToString(mac), StandardCharsets.UTF_8);
    }

    /** Feishu/Lark: Base64(HMAC-SHA256(key = timestamp + "\n" + secret, empty message)); timestamp in seconds. */
    static String feishu(String secret, long timestampSeconds) {
        byte[] mac = Hashes.hmacSha256((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0]);
        return Base64.getEncoder().encodeToString(mac);
    }
}
