package com.aistock.rdagent.security;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.DependsOn;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The {@code admin} account: its password is {@code SCHEDULER_ADMIN_PASSWORD} when set; otherwise one is generated
 * on first start, written once to {@code data/initial-admin-password} (0600) and logged once.
 */
@Component
@DependsOn("flywayInitializer")
public class AdminBootstrap {

    static final String ADMIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    public AdminBootstrap(UserStore users, PasswordEncoder encoder, SecuritySettings settings,
                          SchedulerProperties properties) throws IOException {
        String configured = settings.adminPassword();
        if (configured != null && !configured.isBlank()) {
            users.save(ADMIN, encoder.encode(configured), Role.ADMIN);
            return;
        }
        if (users.exists(ADMIN)) {
            return;
        }
        String generated = randomPassword();
        Path file = properties.data().resolve("initial-admin-password");
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            log.warn("{} exists but there is no admin user: not overwriting it; set SCHEDULER_ADMIN_PASSWORD", file);
            return;
        }
        Files.writeString(file, generated + "\n");
        users.save(ADMIN, encoder.encode(generated), Role.ADMIN);
        log.warn("Generated the password of user 'admin' (also in {}): {}", file, generated);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
