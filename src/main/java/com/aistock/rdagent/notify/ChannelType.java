package com.aistock.rdagent.notify;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Where a channel delivers. Robots take several notifications in one markdown message, so a burst stays within their
 * rate limit (DingTalk and WeCom allow 20 messages a minute per robot, Feishu 100), as long as the message stays
 * within the robot's size limit (WeCom refuses markdown over 4096 bytes); an e-mail or a webhook carries one each.
 */
public enum ChannelType {
    DINGTALK(20, 20_000),
    WECOM(20, 4096),
    FEISHU(100, 20_000),
    EMAIL(30, 0),
    WEBHOOK(60, 0);

    /** Room left in a Feishu body for what is not the text: msg_type, timestamp and sign. */
    private static final int FEISHU_ENVELOPE = 256;

    private final int defaultRate;
    private final int maxMessageBytes;

    ChannelType(int defaultRate, int maxMessageBytes) {
        this.defaultRate = defaultRate;
        this.maxMessageBytes = maxMessageBytes;
    }

    public int defaultRate() {
        return defaultRate;
    }

    public boolean batches() {
        return maxMessageBytes > 0;
    }

    /** The largest message the robot takes, in {@link #size} bytes; 0 for the types that send one at a time. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * A message's size as the robot counts it: DingTalk and WeCom their markdown, Feishu the whole request body
     * (the text as it is escaped in JSON, and the envelope).
     */
    public int size(Message message) {
        return switch (this) {
            case FEISHU -> JsonStringEncoder.getInstance().quoteAsUTF8(message.text()).length + FEISHU_ENVELOPE;
            default -> message.markdown().getBytes(StandardCharsets.UTF_8).length;
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChannelType of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
