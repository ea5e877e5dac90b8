package com.aistock.rdagent.web;

import com.aistock.rdagent.system.ApiError;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** The API routes' error handler: the failure the route caught becomes the error answer and its status. */
@Component("apiErrors")
public class ApiErrors {

    public ApiError render(Exchange exchange) {
        ApiError answer = ApiError.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        return answer;
    }
}
