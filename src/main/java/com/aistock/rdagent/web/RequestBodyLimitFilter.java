package com.aistock.rdagent.web;

import java.io.IOException;
import java.util.Locale;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Camel's platform-http reads a whole request body into memory before any route runs, so bodies are bounded here by
 * their Content-Length, unread: 1 MiB of JSON for the API, the upload limit ({@code scheduler.datasets.max-upload},
 * mapped onto {@code spring.servlet.multipart.*}) for a stock-pool upload; past it, 413 {@code too_large}. A chunked
 * body has no length to check and is refused with 411. Multipart requests are left to Spring's own limits (see
 * {@link ApiExceptionAdvice}).
 */
@Component
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    static final long JSON_LIMIT_BYTES = 1 << 20;

    private final long uploadLimitBytes;

    public RequestBodyLimitFilter(MultipartProperties multipart) {
        this.uploadLimitBytes = multipart.getMaxRequestSize().toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String contentType = request.getContentType();
        return !request.getRequestURI().startsWith("/api/")
                || contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limitBytes = request.getRequestURI().endsWith("/upload-instruments") ? uploadLimitBytes : JSON_LIMIT_BYTES;
        if (request.getContentLengthLong() > limitBytes) {
            refuse(response, ApiException.tooLarge("body", limitBytes));
        } else if (request.getContentLengthLong() < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"))) {
            refuse(response, ApiException.validation(411, "body", "send the body with a Content-Length"));
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse response, ApiException refused) throws IOException {
        ApiError.of(refused).write(response);
    }
}
