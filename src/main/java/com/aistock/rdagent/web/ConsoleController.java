package com.aistock.rdagent.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves the web console (static files under {@code static/rdagent/}) and its login page.
 *
 * <p>Spring Security writes the {@code XSRF-TOKEN} cookie only when something reads the token, which a static page
 * never does: reading it here gives the console's scripts the cookie they send back as {@code X-XSRF-TOKEN}. The
 * login page carries its token in the form, so it works without scripts.
 */
@Controller
public class ConsoleController {

    private static final String LOGIN_PAGE = read("/web/login.html");

    @GetMapping({"/rdagent", "/rdagent/"})
    public String console(CsrfToken csrf) {
        csrf.getToken();
        return "forward:/rdagent/index.html";
    }

    @GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> login(CsrfToken csrf, @RequestParam(required = false) String error,
                                        @RequestParam(required = false) String logout) {
        String message = "";
        if (error != null) {
            message = "<p class=\"login-message error\">用户名或密码错误，或尝试过于频繁，请稍后再试。"
                    + "<br><span lang=\"en\">Wrong username or password, or too many attempts.</span></p>";
        } else if (logout != null) {
            message = "<p class=\"login-message\">已退出。 <span lang=\"en\">Signed out.</span></p>";
        }
        String page = LOGIN_PAGE.replace("{{message}}", message).replace("{{csrf}}", HtmlUtils.htmlEscape(csrf.getToken()));
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8)).body(page);
    }

    private static String read(String resource) {
        try (InputStream in = ConsoleController.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
