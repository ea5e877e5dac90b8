package com.aistock.rdagent.notify;

/**
 * What a channel answered to one message.
 *
 * @param statusCode HTTP status (null for e-mail, or when nothing answered)
 * @param error      why it failed, secrets masked; null when delivered
 * @param answer     the start of the answer's body (a robot's own {errcode, errmsg}), secrets masked
 */
public record SendResult(boolean ok, Integer statusCode, String error, String answer) {
}
