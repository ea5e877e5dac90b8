package com.aistock.rdagent.system;

/** An API answer that created something: sent as 201 with the body. */
public record Created<T>(T body) {
}
