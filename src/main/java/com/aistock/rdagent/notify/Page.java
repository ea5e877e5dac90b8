package com.aistock.rdagent.notify;

import java.util.List;

/** A page of a listing: {items, total, page, size}, as every listing of the API. */
public record Page<T>(List<T> items, long total, int page, int size) {
}
