package com.aistock.rdagent.task;

import java.util.List;

public record BatchPage(List<Batch> items, long total, int page, int size) {
}
