package com.aistock.rdagent.run;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.system.SchedulerProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * How long a stopping service (SIGTERM, {@code systemctl stop}) waits for its runs. On the stop every run is
 * stopped as a cancel stops it ({@link RunRegistry#stopAll}: SIGINT, a second SIGINT after
 * {@code second-interrupt-after}, SIGKILL of the group after {@code stop-grace}), then collected, archived and its
 * final state written while Camel shuts its routes down gracefully; the database stops only after Camel (the
 * embedded one in the last lifecycle phase). Camel's graceful shutdown therefore waits for the longest stop plus a
 * margin for archiving before it gives up on work in flight: {@code stop-grace + 15 s} with the defaults, the figure
 * the systemd unit's {@code TimeoutStopSec} is built on.
 */
@Component
public class GracefulStop implements CamelContextConfiguration {

    /** Collecting, archiving and writing the final states of the stopped runs. */
    static final Duration ARCHIVE_MARGIN = Duration.ofSeconds(10);
    private final Duration timeout;

    public GracefulStop(SchedulerProperties properties) {
        this.timeout = properties.run().secondInterruptAfter().plus(properties.run().stopGrace()).plus(ARCHIVE_MARGIN);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
        camelContext.getShutdownStrategy().setTimeout(timeout.toMillis());
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing: the timeout is all it sets
    }
}
