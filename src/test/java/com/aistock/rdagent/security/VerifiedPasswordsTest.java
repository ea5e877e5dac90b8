package com.aistock.rdagent.security;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/** bcrypt runs once per password and stored hash within the TTL, and only for what it said yes to. */
class VerifiedPasswordsTest {

    private static final String PASSWORD = "machine-client-password";

    private final AtomicInteger bcryptChecks = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
    private final VerifiedPasswords passwords = new VerifiedPasswords(new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            bcryptChecks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    }, now::get);

    @Test
    void aVerifiedPasswordIsNotCheckedAgainUntilItsTimeIsUp() {
        String hash = passwords.encode(PASSWORD);

        for (int i = 0; i < 100; i++) {
            assertThat(passwords.matches(PASSWORD, hash)).isTrue();
        }
        assertThat(bcryptChecks).hasValue(1);

        now.addAndGet(VerifiedPasswords.TTL.toNanos());
        assertThat(passwords.matches(PASSWORD, hash)).isTrue();
        assertThat(bcryptChecks).hasValue(2);
    }

    @Test
    void aWrongPasswordIsCheckedEveryTimeAndRemembersNothing() {
        String hash = passwords.encode(PASSWORD);
        assertThat(passwords.matches(PASSWORD, hash)).isTrue();

        for (int i = 0; i < 3; i++) {
            assertThat(passwords.matches(PASSWORD + "x", hash)).isFalse();
        }
        assertThat(bcryptChecks).hasValue(4);
        assertThat(passwords.entries()).hasSize(1);
    }

    @Test
    void aNewHashOfTheSamePasswordOrAnotherUsersHashIsCheckedAfresh() {
        String before = passwords.encode(PASSWORD);
        assertThat(passwords.matches(PASSWORD, before)).isTrue();

        // the password was changed (even to itself: a new salt), or another user has the same password
        String after = passwords.encode(PASSWORD);
        assertThat(passwords.matches(PASSWORD, after)).isTrue();
        assertThat(bcryptChecks).hasValue(2);
        // the old hash matches nothing that was not verified against it
        assertThat(passwords.matches("another password", before)).isFalse();
    }

    @Test
    void whatIsKeptIsAKeyedHashNeverThePassword() {
        String hash = passwords.encode(PASSWORD);
        passwords.matches(PASSWORD, hash);
        VerifiedPasswords otherProcess = new VerifiedPasswords(bcrypt);
        otherProcess.matches(PASSWORD, hash);

        String kept = passwords.entries().iterator().next();
        assertThat(kept).doesNotContain(PASSWORD).doesNotContain(hash).hasSize(44);
        assertThat(otherProcess.entries()).as("another process, another key").doesNotContain(kept);
    }
}
