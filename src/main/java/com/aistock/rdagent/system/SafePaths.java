package com.aistock.rdagent.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one resolver for paths a user names: relative, normalised, no {@code ..}, no NUL, and after symlinks still
 * inside its root; anything else is refused with 400 naming the field.
 */
public final class SafePaths {

    private SafePaths() {
    }

    public static Path resolve(Path root, String relative, String field) {
        if (relative == null || relative.isBlank() || relative.indexOf('\0') >= 0 || relative.contains("\\")) {
            throw ApiException.validation(field, "must be a relative path inside its folder");
        }
        Path path;
        try {
            path = Path.of(relative);
        } catch (InvalidPathException e) {
            throw ApiException.validation(field, "must be a relative path inside its folder");
        }
        if (path.isAbsolute()) {
            throw ApiException.validation(field, "must be a relative path inside its folder");
        }
        for (Path part : path) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw ApiException.validation(field, "must not contain '.' or '..'");
            }
        }
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw ApiException.validation(field, "must be a relative path inside its folder");
        }
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (!resolved.toRealPath().startsWith(root.toRealPath())) {
                    throw ApiException.validation(field, "leads outside its folder");
                }
            } catch (IOException e) {
                throw ApiException.validation(field, "leads nowhere");
            }
        }
        return resolved;
    }
}
