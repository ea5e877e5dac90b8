package com.aistock.rdagent.web;

import com.aistock.rdagent.system.ApiError;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Whatever fails before a route or controller answers (unknown path, bad URL, container limits) gets JSON too. */
@RestController
public class JsonErrorController implements ErrorController {

    @RequestMapping("/error")
    public ResponseEntity<ApiError> error(HttpServletRequest request) {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ApiError answer = failure instanceof Throwable thrown ? ApiError.of(thrown)
                : ApiError.ofStatus(code instanceof Integer status ? status : 500);
        return ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON).body(answer);
    }
}
