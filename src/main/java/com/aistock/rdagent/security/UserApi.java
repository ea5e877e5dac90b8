package com.aistock.rdagent.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.JsonFields;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Created;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.Operators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Users, tokens and the audit trail for ADMIN; {@code /me} for everyone signed in. */
@Component("userApi")
public class UserApi {

    private static final String NAME = "^[a-z][a-z0-9_.-]{1,63}$";

    private final UserStore users;
    private final PasswordEncoder encoder;
    private final ObjectMapper objectMapper;

    public UserApi(UserStore users, PasswordEncoder encoder, ObjectMapper objectMapper) {
        this.users = users;
        this.encoder = encoder;
        this.objectMapper = objectMapper;
    }

    public record Me(String name, List<String> roles) {
    }

    public record NewToken(UserStore.Token token, String secret) {
    }

    public Me me() {
        var who = SecurityContextHolder.getContext().getAuthentication();
        return new Me(Operators.current(), who == null ? List.of()
                : who.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
    }

    public List<UserStore.User> users() {
        return users.users();
    }

    public Created<UserStore.User> createUser(@Body String body) {
        JsonNode json = JsonFields.object(objectMapper, body, Set.of("username", "password", "role"));
        String username = text(json, "username");
        String password = text(json, "password");
        if (!username.matches(NAME)) {
            throw ApiException.validation("username", "must match " + NAME);
        }
        if (password.length() < 12 || password.length() > 200) {
            throw ApiException.validation("password", "must be 12 to 200 characters");
        }
        if (!users.create(username, encoder.encode(password), role(json))) {
            throw ApiException.conflict("user " + username + " exists");
        }
        return new Created<>(users.users().stream().filter(u -> u.username().equals(username)).findFirst().orElseThrow());
    }

    public List<UserStore.Token> tokens() {
        return users.tokens();
    }

    /** The token's secret is in this answer only; the service keeps its sha256. */
    public Created<NewToken> createToken(@Body String body) {
        JsonNode json = JsonFields.object(objectMapper, body, Set.of("name", "role"));
        String name = text(json, "name");
        if (!name.matches(NAME)) {
            throw ApiException.validation("name", "must match " + NAME);
        }
        String secret = BearerTokens.newToken();
        try {
            return new Created<>(new NewToken(users.createToken(name,
                    Hashes.sha256(secret.getBytes(StandardCharsets.UTF_8)), role(json), Operators.current()), secret));
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("token " + name + " exists");
        }
    }

    public Map<String, Object> revokeToken(@Header("id") String id) {
        long tokenId = ApiParams.id("id", id);
        if (!users.revoke(tokenId)) {
            throw ApiException.notFound("no live token " + tokenId);
        }
        return Map.of("id", tokenId, "revoked", true);
    }

    public Map<String, Object> audit(@Header("page") String page, @Header("size") String size) {
        int p = ApiParams.page(page);
        int s = ApiParams.size(size);
        return Map.of("items", users.audit(p, s), "total", users.auditCount(), "page", p, "size", s);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.validation(field, "is required");
        }
        return value.asText();
    }

    private static Role role(JsonNode json) {
        try {
            return Role.valueOf(text(json, "role").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("role", "must be VIEWER, OPERATOR or ADMIN");
        }
    }
}
