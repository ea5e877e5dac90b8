package com.aistock.rdagent.security;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.Hashes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>} for machine clients such as AIstock. Tokens are random, shown once, and
 * kept only as sha256; a revoked or unknown token is a 401.
 */
@Component
public class BearerTokens {

    private static final String PREFIX = "Bearer ";
    private static final RequestAttributeSecurityContextRepository CONTEXTS = new RequestAttributeSecurityContextRepository();
    private final UserStore users;

    public BearerTokens(UserStore users) {
        this.users = users;
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "rdas_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    OncePerRequestFilter filter(org.springframework.security.web.AuthenticationEntryPoint entryPoint) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String header = request.getHeader("Authorization");
                if (header != null && header.startsWith(PREFIX)) {
                    Optional<Map.Entry<String, Role>> token;
                    try {
                        token = users.tokenByHash(Hashes.sha256(
                                header.substring(PREFIX.length()).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    } catch (DataAccessException e) {
                        // the tokens cannot be read: 503 unavailable (retry) when the database is away, as for
                        // every other request, never a 500
                        ApiError.of(e).write(response);
                        return;
                    }
                    if (token.isEmpty()) {
                        entryPoint.commence(request, response,
                                new org.springframework.security.authentication.BadCredentialsException("unknown or revoked token"));
                        return;
                    }
                    SecurityContext context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            "token:" + token.get().getKey(), null,
                            List.of(new SimpleGrantedAuthority(token.get().getValue().authority()))));
                    SecurityContextHolder.setContext(context);
                    // kept on the request too, so Camel's asynchronous answer still knows the caller
                    CONTEXTS.saveContext(context, request, response);
                }
                chain.doFilter(request, response);
            }
        };
    }
}
