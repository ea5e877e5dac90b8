package com.aistock.rdagent.security;

/** What a user or token may do; each role includes the ones below it. */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
