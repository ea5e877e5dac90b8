package com.aistock.rdagent.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Camel's HTTP binding turns every line break in a request parameter into {@code _} before a route sees it, so a
 * value such as a dataset name would be stored other than it was sent. A query parameter holding a line break is
 * refused here instead (400 naming it); no API parameter has a use for one.
 */
@Component
public class QueryLineBreakFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String query = request.getQueryString();
        if (!request.getRequestURI().startsWith("/api/") || query == null) {
            return true;
        }
        String lower = query.toLowerCase(Locale.ROOT);
        return !lower.contains("%0a") && !lower.contains("%0d");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String pair : request.getQueryString().split("&")) {
            String lower = pair.toLowerCase(Locale.ROOT);
            if (lower.contains("%0a") || lower.contains("%0d")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                try {
                    name = URLDecoder.decode(name, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // named as sent
                }
                ApiError.of(ApiException.validation(name, "must not contain line breaks")).write(response);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
