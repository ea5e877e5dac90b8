package com.aistock.rdagent.schedule;

import java.util.List;

/** The listing shape of SPEC 7.1. */
public record SchedulePage(List<ScheduleView> items, long total, int page, int size) {
}
