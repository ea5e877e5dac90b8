package com.aistock.rdagent;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package graph goes one way: a feature uses the features below it and never one above, so each can be read,
 * tested and changed knowing only what it stands on. {@code web/} is where HTTP meets the features; nothing but
 * Spring reaches into it.
 */
class ArchitectureTest {

    private static final String BASE = "com.aistock.rdagent";

    /** Each feature package and the packages it may use (beyond itself). */
    private static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("system", Set.of()),
            Map.entry("security", Set.of("system")),
            Map.entry("config", Set.of("system")),
            Map.entry("task", Set.of("system", "config")),
            Map.entry("dataset", Set.of("system", "config", "task")),
            Map.entry("schedule", Set.of("system", "config", "task")),
            Map.entry("run", Set.of("system", "config", "task", "dataset")),
            Map.entry("spend", Set.of("system", "config", "task", "run")),
            Map.entry("monitor", Set.of("system", "config", "task", "run", "spend")),
            Map.entry("node", Set.of("system", "task", "run")),
            Map.entry("notify", Set.of("system", "config", "task", "run", "spend")),
            Map.entry("retention", Set.of("system", "config")),
            Map.entry("web", Set.of("system", "security", "config", "task", "dataset", "schedule", "run",
                    "spend", "monitor", "node", "notify", "retention")));

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void featurePackagesFormNoCycle() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() {
        Set<String> packages = new TreeSet<>();
        MAIN.forEach(type -> {
            String rest = type.getPackageName().substring(BASE.length());
            if (!rest.isEmpty()) {
                packages.add(rest.substring(1).split("\\.")[0]);
            }
        });
        assertThat(MAY_USE.keySet()).as("every feature package has its place in the graph").containsAll(packages);
        for (String feature : packages) {
            List<String> forbidden = MAY_USE.keySet().stream()
                    .filter(other -> !other.equals(feature) && !MAY_USE.get(feature).contains(other))
                    .map(other -> BASE + "." + other + "..")
                    .toList();
            if (forbidden.isEmpty()) {
                continue;
            }
            ArchRule rule = noClasses().that().resideInAPackage(BASE + "." + feature + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because(feature + "/ stands on " + MAY_USE.get(feature) + " only");
            rule.check(MAIN);
        }
    }
}
