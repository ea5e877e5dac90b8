package com.aistock.rdagent.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class JsonConfig {

    /** The API's JSON in routes: Spring's snake_case ObjectMapper, so Camel and MVC answers look alike. */
    @Bean
    JacksonDataFormat apiJson(ObjectMapper objectMapper) {
        return new JacksonDataFormat(objectMapper, Object.class);
    }
}
