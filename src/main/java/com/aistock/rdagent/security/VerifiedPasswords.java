package com.aistock.rdagent.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * bcrypt, except that a password it verified within the last {@link #TTL} is not verified again: HTTP Basic sends
 * the password with every request, and bcrypt's cost on each one capped machine clients at a few requests a second.
 *
 * <p>What is remembered is an HMAC-SHA256, under a key drawn at random when the process starts, of the password and
 * the stored hash it matched; never the password. The stored hash stands for the user (it carries the user's own
 * random salt) and for the password: a changed password has a new hash, so the old one no longer matches anything
 * remembered, on every node and however the row was changed. Everything else is read from the user's row on every
 * request as before (a disabled user is refused before the password is looked at, a changed role applies at once),
 * a wrong password still goes through bcrypt and counts as a failed login, and only successes are remembered.
 */
final class VerifiedPasswords implements PasswordEncoder {

    static final Duration TTL = Duration.ofMinutes(5);
    /** Enough for every machine client; past it, expired entries go, then all of them. */
    static final int MAX_ENTRIES = 10_000;
    private static final String HMAC = "HmacSHA256";

    private final PasswordEncoder bcrypt;
    private final LongSupplier nanoTime;
    private final SecretKeySpec key;
    /** HMAC of the stored hash and the password → when it expires (System.nanoTime). */
    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    VerifiedPasswords(PasswordEncoder bcrypt) {
        this(bcrypt, System::nanoTime);
    }

    VerifiedPasswords(PasswordEncoder bcrypt, LongSupplier nanoTime) {
        this.bcrypt = bcrypt;
        this.nanoTime = nanoTime;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, HMAC);
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return bcrypt.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return bcrypt.matches(rawPassword, encodedPassword);
        }
        String entry = hmac(encodedPassword, rawPassword);
        long now = nanoTime.getAsLong();
        Long expires = verified.get(entry);
        if (expires != null && expires - now > 0) {
            return true;
        }
        boolean matches = bcrypt.matches(rawPassword, encodedPassword);
        if (matches) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.values().removeIf(until -> until - now <= 0);
                if (verified.size() >= MAX_ENTRIES) {
                    verified.clear();
                }
            }
            verified.put(entry, now + TTL.toNanos());
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return bcrypt.upgradeEncoding(encodedPassword);
    }

    /** What is kept, for tests. */
    Set<String> entries() {
        return Set.copyOf(verified.keySet());
    }

    private String hmac(String encodedPassword, CharSequence rawPassword) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
            // the hash never holds a NUL: the two parts cannot run into each other
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(rawPassword.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
