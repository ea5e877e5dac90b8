package com.aistock.rdagent.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.aistock.rdagent.support.SecretWatch;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SecretLeakTest} for the tests against the packaged jar, which run after it: runs after every other
 * {@code *IT} class and scans the folders they created in this run (the cluster's nodes, the packaged jar's bases
 * and outputs) and their logs.
 */
@Order(Integer.MAX_VALUE)
class SecretLeakIT {

    private static final List<Path> FOLDERS = List.of(Path.of("target", "cluster-it"), Path.of("target", "jar-it"));

    @Test
    void noSecretValueInAnyFileOfThePackagedJarsTests() throws IOException {
        List<Path> roots = new ArrayList<>();
        for (Path folder : FOLDERS) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> runs = Files.list(folder.toAbsolutePath())) {
                    roots.addAll(runs.filter(Files::isDirectory).toList());
                }
            }
        }
        Path reports = Path.of("target", "failsafe-reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> outputs = Files.list(reports)) {
                roots.addAll(outputs.filter(p -> p.getFileName().toString().endsWith("-output.txt")).toList());
            }
        }

        SecretWatch.Scan scan = SecretWatch.scan(roots);

        assertThat(scan.roots()).as("folders of this run's packaged-jar tests: this test runs after them (mvnw verify); "
                + "alone it has nothing to check").isNotEmpty();
        assertThat(scan.files()).isPositive();
        assertThat(scan.found()).as("files holding a secret value").isEmpty();
    }
}
