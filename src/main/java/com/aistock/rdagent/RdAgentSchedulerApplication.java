package com.aistock.rdagent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RdAgentSchedulerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RdAgentSchedulerApplication.class, args);
    }
}
