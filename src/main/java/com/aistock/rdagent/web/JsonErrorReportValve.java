package com.aistock.rdagent.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import com.aistock.rdagent.system.ApiError;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat refuses some requests itself before the application sees them (an encoded slash or NUL in the path, a bad
 * URL); this makes even those answers the API's JSON error shape instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ApiError.ofStatus(status).json());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone; nothing left to tell it
        }
    }
}
