package com.aistock.rdagent.web;

import com.aistock.rdagent.system.Created;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The last step of every REST operation, before platform-http answers: request headers must not echo back as
 * response headers (only the status survives), and a {@link Created} body answers 201 with what it holds.
 */
@Component("apiReplies")
public class ApiReplies {

    public void reply(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*", Exchange.HTTP_RESPONSE_CODE);
        if (message.getBody() instanceof Created<?> created) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
            message.setBody(created.body());
        }
    }
}
