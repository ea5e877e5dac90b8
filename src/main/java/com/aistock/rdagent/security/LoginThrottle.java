package com.aistock.rdagent.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Ten failed logins for one user within a minute, and that user's next attempts get 429 until the minute passes. */
@Component
public class LoginThrottle {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private final int limit;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(SecuritySettings settings) {
        this.limit = settings.loginFailuresPerMinute();
    }

    @EventListener
    public void failed(AuthenticationFailureBadCredentialsEvent event) {
        Deque<Long> times = failures.computeIfAbsent(String.valueOf(event.getAuthentication().getName()), u -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(System.nanoTime());
        }
    }

    boolean blocked(String username) {
        Deque<Long> times = failures.get(username);
        if (times == null) {
            return false;
        }
        synchronized (times) {
            long now = System.nanoTime();
            while (!times.isEmpty() && now - times.peekFirst() > WINDOW_NANOS) {
                times.removeFirst();
            }
            return times.size() >= limit;
        }
    }

    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String username = attemptedUser(request);
                if (username != null && blocked(username)) {
                    ApiError.of(ErrorCode.TOO_MANY_REQUESTS, "too many failed logins; wait a minute").write(response);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    /** The user a request tries to log in as: HTTP Basic, or the login form. */
    private static String attemptedUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getRequestURI())) {
            return request.getParameter("username");
        }
        return null;
    }
}
