package com.aistock.rdagent.retention;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.schedule.ScheduleTestSupport;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention: old things go, what is in use or what a file holds now stays. Ages are set in the past. */
class RetentionCleanerTest extends ScheduleTestSupport {

    private static final Duration KEEP = Duration.ofDays(14);
    private static final FileTime LONG_AGO = FileTime.from(Instant.now().minus(Duration.ofDays(30)));
    private static final String TEMPLATES = "rdagent_template_history";
    private static final String ENV = "rdagent_env_history";

    private record Version(long id, Path file, String sha256) {
    }

    @Autowired
    RetentionCleaner cleaner;

    @Autowired
    SchedulerProperties properties;

    @Autowired
    RdAgentInstallation installation;

    @Autowired
    Scheduler scheduler;

    @Autowired
    CamelContext camelContext;

    private Long runningTask;

    @AfterEach
    void finishTheRunningTask() {
        if (runningTask != null) {
            jdbc.update("UPDATE rdagent_task SET status = 'FAILED', finished_at = now() WHERE id = ?", runningTask);
        }
    }

    @Test
    void oldWorkspacesGoButNotOneARunningTaskUsesNorAnythingTheirLinksPointAt() throws IOException {
        Path tasks = properties.work().resolve("tasks");
        Path old = tasks.resolve("90000001");
        Path inUse = tasks.resolve("90000002");
        Path fresh = tasks.resolve("90000003");
        Path outside = Files.createTempDirectory(base(), "linked");
        Files.writeString(outside.resolve("keep.txt"), "not the workspace's");
        for (Path workspace : new Path[] {old, inUse, fresh}) {
            Files.createDirectories(workspace.resolve("log"));
            Files.writeString(workspace.resolve("run.log"), "done\n");
            Files.createSymbolicLink(workspace.resolve("overlay"), outside);
        }
        age(old);
        age(inUse);
        age(outside);
        runningTask = jdbc.queryForObject("""
                INSERT INTO rdagent_task (scenario, status, origin, params, config_hash, config_manifest, node,
                                          workspace_path)
                VALUES ('fin_quant', 'RUNNING', 'api', '{}', repeat('0', 64), '{}', 'retention-test', ?)
                RETURNING id""", Long.class, inUse.toString());

        int deleted = cleaner.deleteWorkspaces(KEEP);

        assertThat(deleted).isOne();
        assertThat(old).doesNotExist();
        assertThat(inUse.resolve("run.log")).exists();
        assertThat(fresh.resolve("run.log")).exists();
        assertThat(outside.resolve("keep.txt")).exists();
    }

    @Test
    void oldOutboxArchivesGoButNotOneWithAnythingRecentInIt() throws IOException {
        Path old = archive("20200101", "1_old");
        Path touched = archive("20200102", "2_touched");
        Path fresh = archive("20200103", "3_fresh");
        age(old.getParent());
        age(touched.getParent());
        Files.writeString(touched.resolve("results").resolve("late.csv"), ",0\n");

        assertThat(cleaner.deleteOutbox(KEEP)).isOne();

        assertThat(old.getParent()).as("the emptied day folder goes too").doesNotExist();
        assertThat(touched.resolve("summary.json")).exists();
        assertThat(fresh.resolve("summary.json")).exists();
    }

    @Test
    void oldHistoryGoesExceptPinnedVersionsCurrentOnesAndLegacyImports() throws IOException {
        String file = RdAgentFiles.TEMPLATES.get(1);
        String liveContent = Files.readString(installation.home().resolve(file));
        String liveEnv = Files.readString(installation.home().resolve(RdAgentFiles.ENV));
        Version superseded = version(TEMPLATES, file, "old: content\n", "write", 30);
        Version pinned = version(TEMPLATES, file, "pinned: content\n", "write", 30);
        Version recent = version(TEMPLATES, file, "recent: content\n", "write", 1);
        Version legacy = version(TEMPLATES, file, "legacy: content\n", "legacy", 40);
        // what the file holds, recorded long ago and never replaced
        Version current = version(TEMPLATES, file, liveContent, "current", 40);
        create(schedule("pins", "0 0 9 * * ?", "\"config_pin\": {\"mode\": \"fixed\", \"history_ids\": ["
                + pinned.id() + "]}, \"task\": " + QUICK_TASK));
        Version envSuperseded = version(ENV, RdAgentFiles.ENV, "OLD=" + UUID.randomUUID() + "\n", "write", 30);
        Path envKept = properties.history().resolve("versions").resolve(envSuperseded.sha256() + ".env");
        Files.createDirectories(envKept.getParent());
        Files.writeString(envKept, "OLD=1\n");
        Version envCurrent = version(ENV, RdAgentFiles.ENV, liveEnv, "current", 40);

        assertThat(cleaner.deleteHistory(KEEP)).isGreaterThanOrEqualTo(2);

        assertThat(left(TEMPLATES, superseded, pinned, recent, legacy, current))
                .containsExactlyInAnyOrder(pinned.id(), recent.id(), legacy.id(), current.id());
        assertThat(left(ENV, envSuperseded, envCurrent)).containsExactly(envCurrent.id());
        for (Version kept : List.of(pinned, recent)) {
            assertThat(kept.file()).exists();
        }
        for (Version gone : List.of(superseded, envSuperseded)) {
            assertThat(gone.file()).doesNotExist();
        }
        assertThat(envKept).as("the kept .env content no version has any more").doesNotExist();
    }

    /**
     * A version made {@code daysOld} days ago: {@code current} never replaced, {@code legacy} an import, otherwise
     * replaced then, with its copy in history/.
     */
    private Version version(String table, String file, String content, String kind, int daysOld) throws IOException {
        Path relative = Path.of("20200101", UUID.randomUUID() + "_manual_" + RdAgentFiles.fileName(file));
        Path copy = properties.history().resolve(relative);
        boolean replaced = !kind.equals("current") && !kind.equals("legacy");
        if (replaced) {
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, content);
        }
        String sha256 = Hashes.sha256(content.getBytes(StandardCharsets.UTF_8));
        long id = jdbc.queryForObject("INSERT INTO " + table + " (file, history_path, sha256, kind, created_at, replaced_at,"
                        + " source_path) VALUES (?, ?, ?, ?, now() - make_interval(days => ?),"
                        + " CASE WHEN ? THEN now() - make_interval(days => ?) END, ?) RETURNING id", Long.class,
                file, replaced ? relative.toString() : null, sha256, kind.equals("current") ? "write" : kind, daysOld,
                replaced, daysOld, kind.equals("legacy") ? "rdagent/.backup_" + UUID.randomUUID() + ".yaml" : null);
        return new Version(id, copy, sha256);
    }

    private List<Long> left(String table, Version... versions) {
        Long[] ids = Arrays.stream(versions).map(Version::id).toArray(Long[]::new);
        return jdbc.queryForList("SELECT id FROM " + table + " WHERE id = ANY(?)", Long.class, (Object) ids);
    }

    @Test
    void theClusteredQuartzJobRunsTheSharedCleanUpWithTheConfiguredAges() throws Exception {
        Path ancient = archive("20190101", "9_ancient");
        Path month = archive("20190102", "8_a_month_old");
        age(ancient.getParent(), FileTime.from(Instant.now().minus(Duration.ofDays(100))));
        age(month.getParent(), LONG_AGO);

        // the quartz://system/retention route's job, fired now instead of at 03:30 (outbox-days is 90)
        NotifyBuilder cleaned = new NotifyBuilder(camelContext).fromRoute("retention-shared").whenCompleted(1).create();
        scheduler.triggerJob(JobKey.jobKey("retention", "system"));

        assertThat(cleaned.matches(20, TimeUnit.SECONDS)).as("the retention route ran").isTrue();
        assertThat(ancient).doesNotExist();
        assertThat(month.resolve("summary.json")).exists();
    }

    private Path archive(String day, String name) throws IOException {
        Path archive = properties.outbox().resolve(day).resolve(name);
        Files.createDirectories(archive.resolve("results"));
        Files.writeString(archive.resolve("summary.json"), "{}");
        Files.writeString(archive.resolve("results").resolve("exp_qlib_res.csv"), ",0\n");
        return archive;
    }

    private static void age(Path root) throws IOException {
        age(root, LONG_AGO);
    }

    /** Sets every modification time in the tree (of links themselves, not what they point at). */
    private static void age(Path root, FileTime time) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.getFileAttributeView(file, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(time, null, null);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.setLastModifiedTime(dir, time);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
