package com.aistock.rdagent.dataset;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code scheduler.datasets.*}, {@code scheduler.inbox.*} and {@code scheduler.defaults.*}; defaults in application.yml. */
@ConfigurationProperties("scheduler")
public record DatasetProperties(Datasets datasets, Inbox inbox, TaskDefaults defaults) {

    /**
     * {@code max-upload} is not here: application.yml maps it onto Spring's multipart limits, which the HTTP layer
     * enforces (web/ApiExceptionAdvice, web/RequestBodyLimitFilter).
     *
     * @param providerUri    Qlib data folder of new datasets; blank = the live conf_baseline.yaml's
     * @param symbolPattern  what an upper-cased symbol must match
     * @param unknownSymbols what an import does with symbols the data's instruments/all.txt does not list, and
     *                       with ranges outside its calendar
     */
    public record Datasets(String providerUri, String symbolPattern, InstrumentsParser.UnknownSymbols unknownSymbols) {
    }

    /**
     * @param autoRun     whether a stock-pool file dropped into the inbox also starts a task on it
     * @param sidecarWait how long a {@code <name>.meta.json} waits for its {@code <name>.txt} before it is refused
     */
    public record Inbox(boolean autoRun, Duration sidecarWait) {
    }

    /** The {@code POST /tasks} fields of a task the inbox starts on its own; unset fields are left out. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TaskDefaults(String scenario, Integer loopN, Integer stepN, String allDuration, String timeout,
                               Map<String, String> env) {
    }
}
