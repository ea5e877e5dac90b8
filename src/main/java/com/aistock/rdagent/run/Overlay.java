package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.config.RdAgentFiles;

/**
 * RD-Agent finds its templates at {@code Path(__file__).parent / "factor_template"}, inside its own package. The
 * overlay mirrors that package with real folders along the path to the two template folders, symlinks for every
 * other entry, and the task's snapshot copies of the five templates; {@code PYTHONPATH=overlay} puts it first,
 * so a run reads its own snapshot and the live files under RDAGENT_HOME are never touched.
 */
final class Overlay {

    /** Folders that must be real in the overlay, parents first. */
    private static final List<String> REAL_FOLDERS = List.of(
            "rdagent", "rdagent/scenarios", "rdagent/scenarios/qlib", RdAgentFiles.EXPERIMENT,
            RdAgentFiles.FACTOR_TEMPLATE, RdAgentFiles.MODEL_TEMPLATE);

    private Overlay() {
    }

    /**
     * @param templates RD-Agent relative template path → the snapshot copy to place there
     */
    static void build(Path home, Path overlay, Map<String, Path> templates) throws IOException {
        for (String folder : REAL_FOLDERS) {
            Path target = overlay.resolve(folder);
            Files.createDirectories(target);
            Path source = home.resolve(folder);
            if (!Files.isDirectory(source)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
                for (Path entry : entries) {
                    String relative = folder + "/" + entry.getFileName();
                    if (REAL_FOLDERS.contains(relative) || templates.containsKey(relative)
                            || entry.getFileName().toString().equals("__pycache__")) {
                        continue;
                    }
                    Files.createSymbolicLink(target.resolve(entry.getFileName()), entry.toAbsolutePath());
                }
            }
        }
        for (Map.Entry<String, Path> template : templates.entrySet()) {
            Files.copy(template.getValue(), overlay.resolve(template.getKey()));
        }
    }
}
