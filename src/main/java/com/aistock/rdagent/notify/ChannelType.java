package com.aistock.rdagent.notify;

import java.util.Locale;

/**
 * Where a channel delivers. Robots take several notifications in one markdown message, so a burst stays within their
 * rate limit (DingTalk and WeCom allow 20 messages a minute per robot, Feishu 100); an e-mail or a webhook carries
 * one each.
 */
public enum ChannelType {
    DINGTALK(20, true),
    WECOM(20, true),
    FEISHU(100, true),
    EMAIL(30, false),
    WEBHOOK(60, false);

    private final int defaultRate;
    private final boolean batches;

    ChannelType(int defaultRate, boolean batches) {
        this.defaultRate = defaultRate;
        this.batches = batches;
    }

    public int defaultRate() {
        return defaultRate;
    }

    public boolean batches() {
        return batches;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChannelType of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
