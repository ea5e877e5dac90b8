package com.aistock.rdagent.task;

import java.util.List;

public record TaskPage(List<Task> items, long total, int page, int size) {
}
