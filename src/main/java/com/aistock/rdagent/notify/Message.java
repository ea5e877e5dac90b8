package com.aistock.rdagent.notify;

/**
 * One notification, rendered when it is queued.
 *
 * @param title    a line: e-mail subject, robot message title
 * @param markdown for robots that render markdown (DingTalk, WeCom)
 * @param text     plain text (Feishu's text message, the e-mail body)
 * @param body     what the generic webhook POSTs: the task JSON, or the event's for events without a task
 */
public record Message(String title, String markdown, String text, String body) {
}
