package com.aistock.rdagent.notify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.aistock.rdagent.system.Hashes;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The group robots and the generic webhook. A robot answers HTTP 200 with its own error code when it refuses a
 * message (a bad signature, the rate limit, a wrong key): that is a failure too.
 */
@Configuration(proxyBeanMethods = false)
class RobotSenders {

    /** Several notifications in one robot message: one after the other under a count. */
    static Message combined(Channel channel, List<Message> messages) {
        if (messages.size() == 1) {
            return messages.get(0);
        }
        String title = channel.english() ? "RD-Agent: " + messages.size() + " notifications"
                : "【RD-Agent】" + messages.size() + " 条通知";
        String markdown = messages.stream().map(Message::markdown).collect(Collectors.joining("\n\n---\n\n"));
        String text = messages.stream().map(Message::text).collect(Collectors.joining("\n\n----\n\n"));
        return new Message(title, "### " + title + "\n\n" + markdown, title + "\n\n" + text, null);
    }

    @Bean
    Sender dingTalkSender(HttpPost http) {
        return new HttpSender(ChannelType.DINGTALK, http) {
            @Override
            SendResult deliver(Channel channel, Message message) throws Exception {
                String url = channel.secret("webhook");
                if (channel.secret("secret") != null) {
                    long now = System.currentTimeMillis();
                    url += (url.contains("?") ? "&" : "?") + "timestamp=" + now + "&sign="
                            + Signatures.dingTalk(channel.secret("secret"), now);
                }
                String body = http.write(Map.of("msgtype", "markdown",
                        "markdown", Map.of("title", message.title(), "text", message.markdown())));
                return robotAnswer(channel, http.post(url, body, Map.of()), "errcode", "errmsg");
            }
        };
    }

    @Bean
    Sender weComSender(HttpPost http) {
        return new HttpSender(ChannelType.WECOM, http) {
            @Override
            SendResult deliver(Channel channel, Message message) throws Exception {
                String base = channel.setting("url");
                String url = base + (base.contains("?") ? "&" : "?") + "key="
                        + java.net.URLEncoder.encode(channel.secret("key"), StandardCharsets.UTF_8);
                String body = http.write(Map.of("msgtype", "markdown", "markdown", Map.of("content", message.markdown())));
                return robotAnswer(channel, http.post(url, body, Map.of()), "errcode", "errmsg");
            }
        };
    }

    @Bean
    Sender feishuSender(HttpPost http) {
        return new HttpSender(ChannelType.FEISHU, http) {
            @Override
            SendResult deliver(Channel channel, Message message) throws Exception {
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                if (channel.secret("secret") != null) {
                    long now = System.currentTimeMillis() / 1000;
                    body.put("timestamp", Long.toString(now));
                    body.put("sign", Signatures.feishu(channel.secret("secret"), now));
                }
                body.put("msg_type", "text");
                body.put("content", Map.of("text", message.text()));
                HttpPost.Answer answer = http.post(channel.secret("webhook"), http.write(body), Map.of());
                // newer answers say {code, msg}, older ones {StatusCode, StatusMessage}
                return robotAnswer(channel, answer, answer.json().has("code") ? "code" : "StatusCode",
                        answer.json().has("msg") ? "msg" : "StatusMessage");
            }
        };
    }

    @Bean
    Sender webhookSender(HttpPost http) {
        return new HttpSender(ChannelType.WEBHOOK, http) {
            @Override
            SendResult deliver(Channel channel, Message message) throws Exception {
                String secret = channel.secret("secret");
                Map<String, String> headers = secret == null ? Map.of()
                        : Map.of("X-RDAgent-Signature", Hashes.webhookSignature(secret, message.body().getBytes(StandardCharsets.UTF_8)));
                HttpPost.Answer answer = http.post(channel.secret("url"), message.body(), headers);
                boolean ok = answer.status() >= 200 && answer.status() < 300;
                return new SendResult(ok, answer.status(), ok ? null : "HTTP " + answer.status(), answer.head(channel));
            }
        };
    }

    private static SendResult robotAnswer(Channel channel, HttpPost.Answer answer, String codeField, String messageField) {
        String head = answer.head(channel);
        if (answer.status() < 200 || answer.status() >= 300) {
            return new SendResult(false, answer.status(), "HTTP " + answer.status(), head);
        }
        JsonNode code = answer.json().get(codeField);
        if (code != null && code.asLong() != 0) {
            return new SendResult(false, answer.status(), channel.scrub(codeField + " " + code.asText() + ": "
                    + answer.json().path(messageField).asText("")), head);
        }
        return new SendResult(true, answer.status(), null, head);
    }

    /** Posts each message (robots: all of them combined) and turns what breaks into a failed result. */
    abstract static class HttpSender implements Sender {

        private final ChannelType type;
        final HttpPost http;

        HttpSender(ChannelType type, HttpPost http) {
            this.type = type;
            this.http = http;
        }

        @Override
        public ChannelType type() {
            return type;
        }

        @Override
        public SendResult send(Channel channel, List<Message> messages) {
            try {
                return deliver(channel, type.batches() ? combined(channel, messages) : messages.get(0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new SendResult(false, null, "interrupted", null);
            } catch (Exception e) {
                return new SendResult(false, null, channel.scrub(e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())), null);
            }
        }

        abstract SendResult deliver(Channel channel, Message message) throws Exception;
    }
}
