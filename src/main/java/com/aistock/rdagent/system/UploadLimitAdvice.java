package com.aistock.rdagent.system;

import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Spring parses a multipart request before Camel sees it, so an upload over {@code spring.servlet.multipart.*}
 * (set from {@code scheduler.datasets.max-upload}) never reaches the API routes' error handling. This answers it
 * in the API's error shape: 413 {@code {error: "too_large", ...}}.
 */
@RestControllerAdvice
public class UploadLimitAdvice {

    private final long limitBytes;

    public UploadLimitAdvice(MultipartProperties multipart) {
        this.limitBytes = multipart.getMaxFileSize().toBytes();
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ApiError> tooLarge() {
        ApiException refused = ApiException.tooLarge("file", limitBytes);
        return ResponseEntity.status(refused.status()).body(ApiError.of(refused));
    }
}
