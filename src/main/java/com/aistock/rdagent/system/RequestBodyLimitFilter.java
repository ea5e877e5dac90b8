package com.aistock.rdagent.system;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Camel's platform-http reads a whole request body into memory before any route runs, so an API body larger than
 * the upload limit ({@code scheduler.datasets.max-upload}, mapped onto {@code spring.servlet.multipart.*}) is
 * refused here by its Content-Length, unread: 413 {@code too_large}. A chunked body has no length to check and is
 * refused with 411. Multipart requests are left to Spring's own limits (see {@link UploadLimitAdvice}).
 */
@Component
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long limitBytes;
    private final ObjectMapper objectMapper;

    public RequestBodyLimitFilter(MultipartProperties multipart, ObjectMapper objectMapper) {
        this.limitBytes = multipart.getMaxRequestSize().toBytes();
        this.objectMapper = objectMapper;
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
        if (request.getContentLengthLong() > limitBytes) {
            refuse(response, ApiException.tooLarge("body", limitBytes));
        } else if (request.getContentLengthLong() < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"))) {
            refuse(response, new ApiException(411, "validation", "body", "send the body with a Content-Length"));
        } else {
            chain.doFilter(request, response);
        }
    }

    private void refuse(HttpServletResponse response, ApiException refused) throws IOException {
        response.setStatus(refused.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        objectMapper.writeValue(response.getOutputStream(),
                new ApiError(refused.error(), refused.getMessage(), refused.field()));
    }
}
