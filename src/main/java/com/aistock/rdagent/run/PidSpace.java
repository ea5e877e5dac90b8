package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a pid means something: this boot of the kernel and this pid namespace. A recorded process can be checked
 * (pid + start time) or stopped only from the same pid space; a container restart or a reboot makes a new one.
 */
public final class PidSpace {

    private static final String CURRENT = read();

    private PidSpace() {
    }

    public static String current() {
        return CURRENT;
    }

    /** An attempt recorded before pid spaces were (null) counts as here only for the node that ran it. */
    public static boolean isHere(String pidSpace) {
        return CURRENT.equals(pidSpace);
    }

    private static String read() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            return boot + "/" + Files.readSymbolicLink(Path.of("/proc/self/ns/pid"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("Cannot tell this machine's pid space from /proc", e);
        }
    }
}
