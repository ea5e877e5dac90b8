package com.aistock.rdagent.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Records every write request to the API: who, what, the answer, from which address. */
@Component
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private final UserStore users;

    public AuditTrail(UserStore users) {
        this.users = users;
    }

    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                chain.doFilter(request, response);
                if (request.isAsyncStarted()) {
                    return; // Camel answers asynchronously: recorded when that dispatch completes
                }
                Authentication who = SecurityContextHolder.getContext().getAuthentication();
                if (!"GET".equals(request.getMethod()) && request.getRequestURI().startsWith("/api/")
                        && who != null && !(who instanceof AnonymousAuthenticationToken)) {
                    record(who.getName(), request, response.getStatus());
                }
            }

            @Override
            protected boolean shouldNotFilterAsyncDispatch() {
                return false;
            }
        };
    }

    private void record(String operator, HttpServletRequest request, int status) {
        try {
            users.audit(operator, request.getMethod(), request.getRequestURI(), status, request.getRemoteAddr());
        } catch (RuntimeException e) {
            log.warn("Cannot write the audit entry of {} {} by {}: {}", request.getMethod(), request.getRequestURI(),
                    operator, e.getMessage());
        }
    }

}
