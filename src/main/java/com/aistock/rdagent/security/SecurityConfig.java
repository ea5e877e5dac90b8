package com.aistock.rdagent.security;

import java.util.List;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ErrorCode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.task.DelegatingSecurityContextAsyncTaskExecutor;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * HTTP Basic and bearer tokens for machine clients, a login form with session and CSRF for the console, roles
 * from {@link EndpointRoles}, JSON answers for the API and never an HTML error page there.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, BearerTokens tokens, LoginThrottle throttle,
                                            AuditTrail audit, SecuritySettings settings) throws Exception {
        AuthenticationEntryPoint apiEntryPoint = (request, response, e) -> {
            if (e instanceof InternalAuthenticationServiceException) {
                // the users could not be read (database away): not the caller's fault
                ApiError.ofStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE).write(response);
                return;
            }
            // no challenge for the console's own requests: the browser would answer it with its password prompt
            if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"rdagent\"");
            }
            ApiError.of(ErrorCode.UNAUTHORIZED, "authentication required").write(response);
        };
        AccessDeniedHandler denied = (request, response, e) ->
                ApiError.of(ErrorCode.FORBIDDEN, "your role does not allow this").write(response);
        RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher("/api/**");
        // machine clients (the API, a metrics scraper) get a JSON 401, never the login page
        RequestMatcher machines = new OrRequestMatcher(api, PathPatternRequestMatcher.withDefaults().matcher("/actuator/**"));
        // CSRF rides on the browser's session cookie: a request with its own credentials, or with no session at
        // all (other than the login form itself), carries no ambient authority to abuse
        RequestMatcher noAmbientCredentials = request -> request.getHeader("Authorization") != null
                || request.getSession(false) == null && !"/login".equals(request.getRequestURI());

        http.authorizeHttpRequests(authorize -> {
                    // requests already authorized once: Camel's async answers and error pages
                    authorize.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
                    for (EndpointRoles.Rule rule : EndpointRoles.RULES) {
                        AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl url = authorize.requestMatchers(
                                PathPatternRequestMatcher.withDefaults().matcher(rule.method(), rule.pattern()));
                        if (rule.role() == null) {
                            url.permitAll();
                        } else {
                            url.hasRole(rule.role().name());
                        }
                    }
                    // any other API path: a signed-in caller learns that it does not exist (404), nothing more
                    authorize.anyRequest().authenticated();
                })
                .httpBasic(basic -> basic.authenticationEntryPoint(apiEntryPoint))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/rdagent", false))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(apiEntryPoint, machines)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), request -> true)
                        .accessDeniedHandler(denied))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(noAmbientCredentials, PathPatternRequestMatcher.withDefaults().matcher("/receive")))
                .cors(cors -> cors.configurationSource(cors(settings)))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:; "
                                + "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
                                + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"))
                        .frameOptions(frame -> frame.deny()))
                .addFilterBefore(throttle.filter(), BasicAuthenticationFilter.class)
                .addFilterBefore(tokens.filter(apiEntryPoint), BasicAuthenticationFilter.class)
                .addFilterAfter(audit.filter(), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_OPERATOR\nROLE_OPERATOR > ROLE_VIEWER");
    }

    /** bcrypt; HTTP Basic's password, sent with every request, is verified once per few minutes. */
    @Bean
    PasswordEncoder passwordEncoder(SecuritySettings settings) {
        return new VerifiedPasswords(new BCryptPasswordEncoder(settings.passwordStrength()));
    }

    @Bean
    UserDetailsService userDetailsService(UserStore users) {
        return username -> users.user(username)
                .map(user -> User.withUsername(user.username()).password(user.passwordHash())
                        .roles(user.role().name()).disabled(!user.enabled()).build())
                .orElseThrow(() -> new UsernameNotFoundException(username));
    }

    /** Camel's platform-http answers on this executor: it carries the caller's identity to the route thread. */
    @Bean
    AsyncTaskExecutor applicationTaskExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(8);
        executor.setThreadNamePrefix("http-route-");
        executor.initialize();
        return new DelegatingSecurityContextAsyncTaskExecutor(executor);
    }

    private static CorsConfigurationSource cors(SecuritySettings settings) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> origins = settings.corsOrigins() == null ? List.of() : settings.corsOrigins();
        if (!origins.isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(origins);
            config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "If-Match", "Last-Event-ID"));
            source.registerCorsConfiguration("/api/**", config);
        }
        return source;
    }

}
