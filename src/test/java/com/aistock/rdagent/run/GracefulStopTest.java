package com.aistock.rdagent.run;

import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.IntegrationTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Camel waits on a stop as long as a run may take to stop and be archived, from the run settings. */
class GracefulStopTest extends IntegrationTest {

    @Autowired
    private CamelContext camel;

    @Test
    void camelWaitsForTheLongestStopOfARunPlusTheArchiveMargin() {
        // IntegrationTest: second-interrupt-after 2 s + stop-grace 5 s, plus 10 s to archive
        long timeout = camel.getShutdownStrategy().getTimeUnit().toMillis(camel.getShutdownStrategy().getTimeout());
        assertThat(timeout).isEqualTo(TimeUnit.SECONDS.toMillis(17));
    }
}
