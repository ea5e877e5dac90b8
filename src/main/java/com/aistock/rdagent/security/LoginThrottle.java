package com.aistock.rdagent.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ten failed logins for one user within a minute, and that user's next attempts get 429 until the minute passes.
 * The failures are kept in a size-bounded cache whose entries expire a minute after their last failure, so a
 * flood of made-up user names costs a fixed amount of memory.
 */
@Component
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Budget of the remembered failures, in estimated bytes; the least recently failed names go first. */
    static final long MAX_WEIGHT = 4L << 20;

    private final int limit;
    private final BasicAuthenticationConverter basic = new BasicAuthenticationConverter();
    /** User name → the times (System.nanoTime) of its last {@code limit} failures, oldest first. */
    private final Cache<String, long[]> failures;

    public LoginThrottle(SecuritySettings settings) {
        this.limit = settings.loginFailuresPerMinute();
        this.failures = Caffeine.newBuilder()
                .expireAfterWrite(WINDOW)
                .maximumWeight(MAX_WEIGHT)
                .weigher((String name, long[] times) -> 64 + 2 * name.length() + 8 * times.length)
                // evictions happen on the caller's thread: the bound holds as soon as a failure is recorded
                .executor(Runnable::run)
                .build();
    }

    @EventListener
    public void failed(AuthenticationFailureBadCredentialsEvent event) {
        long now = System.nanoTime();
        failures.asMap().compute(String.valueOf(event.getAuthentication().getName()), (name, times) -> {
            if (times == null) {
                return new long[] {now};
            }
            long[] kept = Arrays.copyOfRange(times, Math.max(0, times.length + 1 - limit), times.length + 1);
            kept[kept.length - 1] = now;
            return kept;
        });
    }

    boolean blocked(String username) {
        long[] times = failures.getIfPresent(username);
        return times != null && times.length >= limit && System.nanoTime() - times[0] <= WINDOW.toNanos();
    }

    /** The remembered failures' weight, never above {@link #MAX_WEIGHT}. */
    long weight() {
        return failures.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** How many user names have failures remembered. */
    long users() {
        failures.cleanUp();
        return failures.estimatedSize();
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
    private String attemptedUser(HttpServletRequest request) {
        try {
            UsernamePasswordAuthenticationToken credentials = basic.convert(request);
            if (credentials != null) {
                return credentials.getName();
            }
        } catch (AuthenticationException malformed) {
            return null; // Spring Security's Basic filter answers it with a 401
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getRequestURI())) {
            return request.getParameter("username");
        }
        return null;
    }
}
