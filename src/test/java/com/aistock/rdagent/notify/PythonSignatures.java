package com.aistock.rdagent.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.RequiredTools;

/**
 * The signatures computed independently, by Python's hmac as the robots' own documentation does it (DingTalk's and
 * Feishu's samples are Python), so the service's Java is checked against another implementation.
 */
final class PythonSignatures {

    private PythonSignatures() {
    }

    /** DingTalk: quote_plus(b64(HMAC-SHA256(secret, f"{timestamp}\n{secret}"))). */
    static String dingTalk(String secret, String timestamp) {
        return run("import hmac,hashlib,base64,urllib.parse,sys\n"
                + "ts, secret = sys.argv[1], sys.argv[2]\n"
                + "mac = hmac.new(secret.encode(), f'{ts}\\n{secret}'.encode(), digestmod=hashlib.sha256).digest()\n"
                + "print(urllib.parse.quote_plus(base64.b64encode(mac)))\n", timestamp, secret);
    }

    /** Feishu: b64(HMAC-SHA256(key=f"{timestamp}\n{secret}", msg=b"")). */
    static String feishu(String secret, String timestamp) {
        return run("import hmac,hashlib,base64,sys\n"
                + "ts, secret = sys.argv[1], sys.argv[2]\n"
                + "mac = hmac.new(f'{ts}\\n{secret}'.encode(), digestmod=hashlib.sha256).digest()\n"
                + "print(base64.b64encode(mac).decode())\n", timestamp, secret);
    }

    /** The webhook's header: "sha256=" + hex HMAC-SHA256(secret, body); the body comes on stdin, byte for byte. */
    static String webhook(String secret, String body) {
        return run("import hmac,hashlib,sys\n"
                + "print('sha256=' + hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())\n",
                body, secret);
    }

    private static String run(String script, String first, String second) {
        boolean stdin = script.contains("stdin");
        List<String> command = new ArrayList<>(List.of(RequiredTools.PYTHON, "-c", script));
        if (!stdin) {
            command.add(first);
        }
        command.add(second);
        try {
            Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin) {
                python.getOutputStream().write(first.getBytes(StandardCharsets.UTF_8));
            }
            python.getOutputStream().close();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!python.waitFor(20, TimeUnit.SECONDS) || python.exitValue() != 0) {
                throw new AssertionError("python3 failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
