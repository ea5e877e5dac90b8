package com.aistock.rdagent.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** The login throttle on its own: its rule, how it reads the attempted user, and its bounded memory. */
class LoginThrottleTest {

    private final LoginThrottle throttle = new LoginThrottle(new SecuritySettings(null, List.of(), 10, 4));

    @Test
    void theTenthFailureWithinAMinuteBlocksThatUserOnly() {
        fail("alice", 9);
        assertThat(throttle.blocked("alice")).as("nine failures").isFalse();

        fail("alice", 1);

        assertThat(throttle.blocked("alice")).isTrue();
        assertThat(throttle.blocked("bob")).isFalse();
        assertThat(status(basic("alice", "any password"))).isEqualTo(429);
        assertThat(status(basic("bob", "any password"))).as("passed on to authentication").isEqualTo(200);
    }

    @Test
    void theFormLoginAndMalformedBasicCredentialsAreReadAsSpringSecurityReadsThem() {
        fail("carol", 10);
        MockHttpServletRequest form = new MockHttpServletRequest("POST", "/login");
        form.setParameter("username", "carol");
        MockHttpServletRequest notBase64 = new MockHttpServletRequest("GET", "/api/rdagent/tasks");
        notBase64.addHeader("Authorization", "Basic %%%");
        MockHttpServletRequest noColon = new MockHttpServletRequest("GET", "/api/rdagent/tasks");
        noColon.addHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString("carol".getBytes(StandardCharsets.UTF_8)));

        assertThat(status(form)).isEqualTo(429);
        assertThat(status(basic("carol", "pass:with:colons"))).as("the user is what comes before the first colon").isEqualTo(429);
        assertThat(status(notBase64)).as("left to the Basic filter's 401").isEqualTo(200);
        assertThat(status(noColon)).isEqualTo(200);
    }

    @Test
    void aFloodOfDistinctNamesStaysWithinTheBound() {
        fail("dave", 10);
        int names = 200_000;
        for (int i = 0; i < names; i++) {
            fail("made-up-user-" + i, 1);
        }

        assertThat(throttle.weight()).isLessThanOrEqualTo(LoginThrottle.MAX_WEIGHT);
        // every remembered name weighs more than 64 estimated bytes, so at most MAX_WEIGHT / 64 of them stay
        assertThat(throttle.users()).isPositive().isLessThanOrEqualTo(LoginThrottle.MAX_WEIGHT / 64).isLessThan(names);

        fail("erin", 10);
        assertThat(throttle.blocked("erin")).as("the throttle still works after the flood").isTrue();
    }

    @Test
    void oneUsersMemoryHoldsOnlyItsLastFailures() {
        fail("frank", 1_000);

        assertThat(throttle.users()).isOne();
        assertThat(throttle.weight()).isLessThanOrEqualTo(64 + 2 * "frank".length() + 8 * 10);
        assertThat(throttle.blocked("frank")).isTrue();
    }

    private void fail(String user, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(new AuthenticationFailureBadCredentialsEvent(
                    UsernamePasswordAuthenticationToken.unauthenticated(user, "wrong"), new BadCredentialsException("bad")));
        }
    }

    private static MockHttpServletRequest basic(String user, String password) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/rdagent/tasks");
        request.addHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return request;
    }

    private int status(MockHttpServletRequest request) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        try {
            throttle.filter().doFilter(request, response, new MockFilterChain());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return response.getStatus();
    }
}
