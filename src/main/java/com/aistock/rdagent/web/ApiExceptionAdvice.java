package com.aistock.rdagent.web;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ApiException;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * The Spring MVC endpoints (logs, artifacts, the OpenAPI document) answer failures in the same shape as the Camel
 * routes. Spring also parses a multipart request before Camel sees it, so an upload over
 * {@code spring.servlet.multipart.*} (set from {@code scheduler.datasets.max-upload}) is answered here.
 */
@RestControllerAdvice
public class ApiExceptionAdvice {

    private final long uploadLimitBytes;

    public ApiExceptionAdvice(MultipartProperties multipart) {
        this.uploadLimitBytes = multipart.getMaxFileSize().toBytes();
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ApiError> uploadTooLarge() {
        return answer(ApiError.of(ApiException.tooLarge("file", uploadLimitBytes)));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> failed(Exception failure) throws Exception {
        if (ApiError.refusal(failure) == null && !ApiError.databaseUnavailable(failure)) {
            // Spring MVC's own exceptions (no such path, wrong method…) keep their statuses: /error answers them
            throw failure;
        }
        return answer(ApiError.of(failure));
    }

    private static ResponseEntity<ApiError> answer(ApiError error) {
        return ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON).body(error);
    }
}
