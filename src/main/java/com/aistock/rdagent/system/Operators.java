package com.aistock.rdagent.system;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is asking: the user or token behind the current request, recorded on every write. */
public final class Operators {

    private Operators() {
    }

    public static String current() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who == null || who instanceof AnonymousAuthenticationToken ? "system" : who.getName();
    }
}
